"""The conversation's thread: what a message is about, given what was just said (pure).

A person at a service-hall desk says "得带什么?" after hearing about passports, "那护照呢?" after
hearing the ID-card fee, and "when will it be ready?" after their case status. The classifier
sees one sentence at a time; this module adds the conversation: the current subject (a matter, a
life event or a case), the aspect last asked about and who the matter is for stay until the person
changes them. The matter is resolved from the catalogue search and the classifier together, so it
works for any number of matters; the aspect and the moves come from ``knowledge/cues.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

from assistant.core.topics import LIFE_EVENTS, MATTERS
from knowledge import answer_types, cues
from knowledge.answers import matter_answer
from knowledge.catalogue import Catalogue
from knowledge.search import CatalogueIndex
from knowledge.semantic import Candidate, SemanticHit

#: the closest catalogue question of a matter, by meaning (knowledge/semantic.py)
QuestionFinder = Callable[[str, str], Optional[SemanticHit]]
#: the answers of some matters, best first, for a message in a language with the aspect its words name
AnswerRank = Callable[[str, List[str], str, Optional[str]], List[Candidate]]

#: a catalogue search hit this strong is the person naming the subject (measured on the held-out
#: phrasings: names, synonyms and homophones score >= 0.9, documents and loose words below 0.6)
STRONG_HIT = 0.85
#: classifier confidence to take a matter intent as a new subject when no subject is current,
#: and when one is (a follow-up question about the current subject is the likelier reading)
NEW_SUBJECT_MIN, SWITCH_SUBJECT_MIN = 0.5, 0.9
#: inside a life event, a search hit this good on one of its steps keeps the person in the event
STEP_HIT = 0.3
#: classifier confidence that wins over the search's first hit when the search also found it
AGREE_MIN = 0.8
#: what a just-arrived foreign national's words sound like but is not theirs (a Chinese passport, the
#: citizens' moving checklist with its hukou)
FOREIGNERS_ELSEWHERE = ("passport", "moving_to_the_city", "household_registration")
#: facts a life event's step note seldom holds: asked of a step, they are the step's own answer
NOT_IN_NOTES = ("fee", "materials", "hours", "time")
FEE_SAID = re.compile(r"\d\s*元|免费|免缴|不收费|收费|不要钱|\b(yuan|free|fee|fees|charge)\b")
#: inside a life event, how far one step's answer must lead the same answer of the others to be
#: the one asked for (answer-ranker scores)
STEP_MARGIN = 0.06
#: a catalogue Q&A this close to the message answers it directly
STRONG_QA, RELATED_QA = 0.9, 0.6
#: cosine similarity (multilingual-e5-small) for a catalogue question to answer a message, the
#: higher bar for it to win over a plain aspect ("几号发钱" has a when-word in it), and the margin
#: over merely naming the matter (knowledge/semantic.py)
SEMANTIC_QA, SEMANTIC_OVER_ASPECT, SEMANTIC_MARGIN = 0.90, 0.93, 0.035
#: ... or so close that it is the question whatever the margin ("俺的社保卡找不着了": 0.964)
SEMANTIC_SURE = 0.96
#: how much closer than any of the current subject's questions another matter's question must be
#: to be the one asked ("退休金要交个税吗": the tax matter's 0.964, the pension claim's 0.929)
OTHER_QA_MARGIN = 0.03
INTENT_ASPECTS = {"ask_materials": "materials", "ask_fees_time": "fees_time", "ask_where_when": "where",
                  "ask_related": "related"}
SMALL_TALK = {"greet", "goodbye", "affirm", "deny"}
#: aspects answered before the essentials when they open a matter with "what do I do"
OPENING_ASPECTS = ("fee", "time", "online", "proxy", "deadline", "collect", "eligibility", "where", "hours")
#: intents that may start a form, and the form; the guide decides whether they really do
FORM_INTENTS = {"case_status": "case_status_form", "inform": "case_status_form",
                "book_appointment": "appointment_form", "cancel_appointment": "cancel_appointment_form"}
#: requests we decline even when they name one of our matters ("hide income from the tax office")
ALWAYS_ELSEWHERE = ("tax_avoidance", "hospital_complaint", "scam")
#: a matter that, for a new baby, is another one: the baby's first hukou is its birth registration
FOR_A_NEWBORN = {"household_registration": "birth_registration"}
#: a matter that, after a death, is a step of its own: the hukou is cancelled, the pension stopped
AFTER_A_DEATH = {"household_registration": "death_registration", "pension_claim": "funeral_subsidy",
                 "pension_certification": "funeral_subsidy", "retiring": "funeral_subsidy"}
#: the pension named after a death ("他那退休金还打不打"), not retiring ("还没退休人就没了")
PENSION = re.compile(r"退休金|养老金|退休工资|养老钱|pension", re.I)
NEWBORN_SUBJECTS = ("event:having_a_baby", "matter:birth_registration")
#: a new subject that only the classifier or a loose search hit suggests must explain the message
#: this much better than the current subject does (answer-ranker scores, knowledge/semantic.py);
#: otherwise the message is a follow-up ("how many years must I have paid" after the pension)
SWITCH_MARGIN = 0.0
#: ... and this much better when the word naming it is one the current matter uses too
#: ("签注多久一次" after the residence permit: +0.014 for passports; "身份证怎么补办" after a passport: +0.047)
SHARED_WORD_MARGIN = 0.03
#: words that point at a matter as the subject ("which window for the passport")
NAMING = ("for the ", "about the ", "for a ", "for my ", "关于")
#: an answer that starts with yes or no answers a yes/no question only
YES_NO_LEAD = re.compile(r"^\s*(需要|不需要|要|不要|可以|不可以|能|不能|不用|用|是|不是|会|不会|有|没有|行|不行|yes|no)[，。,.!！:：]",
                         re.I)
#: how much of something is asked ("丧葬费能领多少"): a Q&A states amounts, an overview does not
AMOUNT = re.compile(r"(多少|几个|how much|how many)")
#: what a person asks about a document they need to get, not to bring ("营业执照在哪办")
OBTAINING = ("where", "process", "time", "online", "fee")
#: words that only ever mean a small child ("the baby's medical insurance"), never a grown son or
#: daughter acting for a parent
SMALL_CHILD = re.compile(r"宝宝|婴儿|小孩|小朋友|新生儿|baby|infant|newborn|toddler|\bkids?\b")
WHAT_ABOUT = ("呢", "what about", "how about", "and for", "and the", "and his", "and her", "and my", "same for")


@dataclass(frozen=True)
class Subject:
    kind: str  # matter | event | case | hall (the service hall itself) | imported (issue 17's list)
    id: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, key: Optional[str]) -> Optional["Subject"]:
        if not key or ":" not in key:
            return None
        kind, _, ident = key.partition(":")
        return cls(kind, ident) if kind in ("matter", "event", "case", "hall", "imported") else None


@dataclass(frozen=True)
class Context:
    """What the conversation holds before this message (read from slots)."""

    lang: str = "zh"
    elderly: bool = False
    subject: Optional[Subject] = None
    aspect: Optional[str] = None
    who: Optional[str] = None
    case_matter: Optional[str] = None
    misses: int = 0
    topic: Optional[str] = None  # in a life event: the step the last answer was about
    previous: Optional[str] = None  # the person's message before this one ("我六十二呢" asks it again)


@dataclass(frozen=True)
class Message:
    """The classifier's reading of one message."""

    text: str
    intent: Optional[str] = None
    confidence: float = 0.0
    ranking: Sequence[Dict] = ()
    entity_matter: Optional[str] = None

    @property
    def is_payload(self) -> bool:
        return self.text.startswith("/")


@dataclass(frozen=True)
class Decision:
    move: str  # answer overview qa case repeat simplify switch bereavement not_ours complaint
    #          clarify small_talk out_of_scope next_step
    subject: Optional[Subject] = None
    aspect: Optional[str] = None
    yes_no: bool = False
    who: Optional[str] = None
    detail: Optional[str] = None  # the not-ours kind, the small-talk intent, the target language
    candidates: List[str] = field(default_factory=list)
    qa: Optional[Tuple[str, str]] = None  # (matter id, the catalogue question in Chinese) to answer
    who_said: bool = False  # the person said who it is for in this message (say what differs once)
    focus: Optional[str] = None  # in a life event: the step (matter) this answer is about
    with_overview: bool = False  # an answer that opens a subject: it first, then the essentials
    also: Optional[str] = None  # a second aspect the message asks ("去哪弄 要几天"), answered after the first


def _subject_of(ident: Optional[str]) -> Optional[Subject]:
    if ident in MATTERS:
        return Subject("matter", ident)  # type: ignore[arg-type]
    if ident in LIFE_EVENTS:
        return Subject("event", ident)  # type: ignore[arg-type]
    return None


def _matter_of(subject: Optional[Subject], ctx: Context) -> Optional[str]:
    if subject is None:
        return None
    if subject.kind == "matter":
        return subject.id
    if subject.kind == "case":
        return ctx.case_matter
    return None


def _names_a_document_of(hit_term: str, matter_id: Optional[str], catalogue: Catalogue) -> bool:
    """"要带身份证吗" about a passport names the ID card as a document, not as the new subject."""
    if not matter_id or matter_id not in catalogue.matters:
        return False
    names = " ".join(m.name.zh + " " + m.name.en.lower() for m in catalogue.matters[matter_id].materials)
    booklet = str.maketrans("簿", "本")  # 户口本 is the 户口簿 the catalogue lists
    return bool(hit_term) and hit_term.lower().translate(booklet) in names.translate(booklet)


def mentioned_subject(msg: Message, ctx: Context, index: CatalogueIndex, catalogue: Catalogue,
                      aspect: Optional[str]) -> Optional[Subject]:
    """The matter or life event this message names itself, if any (a baby's hukou is its birth
    registration, when the words or the subject say a baby)."""
    subject = _mentioned(msg, ctx, index, catalogue, aspect)
    newborn = cues.says(msg.text, "newborn") or (ctx.subject is not None and ctx.subject.key in NEWBORN_SUBJECTS)
    if subject is not None and subject.kind == "matter" and not msg.is_payload:
        event = _event_of_steps(cues.without_status(msg.text), ctx, index, catalogue, newborn)
        if event is not None and event != ctx.subject:
            return event  # "宝宝上户口医保这些要怎么弄": the two are steps of having a baby
    if subject is not None and subject.id in FOR_A_NEWBORN and newborn:
        return Subject("matter", FOR_A_NEWBORN[subject.id])
    return subject


def _only_a_newborn(term: str) -> bool:
    rest = cues.normalise(term)
    for word in sorted(cues.NEWBORN[0] + cues.NEWBORN[1], key=len, reverse=True):
        rest = rest.replace(word, "")
    return not re.sub(r"[\W_]", "", rest)


def _note_says(note: str, aspect: str) -> bool:
    """Whether a step's note states the fact asked ("当年免缴" is a fee)."""
    return cues.names(note, aspect) or (aspect == "fee" and bool(FEE_SAID.search(cues.normalise(note))))


def _event_of_steps(text: str, ctx: Context, index: CatalogueIndex, catalogue: Catalogue,
                    newborn: bool) -> Optional[Subject]:
    """The one life event of which the message names two steps or more, in their own words."""
    named = {FOR_A_NEWBORN.get(h.id, h.id) if newborn else h.id for h in index.search(text, ctx.lang, limit=5)
             if h.score >= STRONG_HIT and h.id in catalogue.matters and _literal(h.matched, text) and
             not _only_a_newborn(h.matched)}  # "medical insurance for my newborn" names one step
    if len(named) < 2:
        return None
    events = _events_with(named, catalogue)
    return Subject("event", events[0]) if len(events) == 1 else None


def _events_with(matters: Set[str], catalogue: Catalogue) -> List[str]:
    """The life events that have every one of ``matters`` among their steps."""
    return [ident for ident, event in catalogue.events.items() if matters <= {step.matter for step in event.steps}]


def _mentioned(msg: Message, ctx: Context, index: CatalogueIndex, catalogue: Catalogue,
               aspect: Optional[str]) -> Optional[Subject]:
    if msg.entity_matter:
        return _subject_of(msg.entity_matter)
    base = (msg.intent or "").split("/")[0]
    if msg.is_payload:
        return _subject_of(base)
    request = cues.without_status(msg.text)
    hits = index.search(request, ctx.lang, limit=3)
    if request != cues.normalise(msg.text):
        told = index.search(msg.text, ctx.lang, limit=3)
        if not hits and ctx.subject is None:
            hits = told  # "I freelance - can I pay my own social insurance?": the status is what is asked
        elif base not in {h.id for h in hits} and base in {h.id for h in told}:
            base = ""  # the classifier heard the status ("我退休了想开个小卖部"), not the request
    current = _matter_of(ctx.subject, ctx)
    named = base in MATTERS or base in LIFE_EVENTS
    asks_about = any(w in cues.normalise(msg.text) for w in WHAT_ABOUT)  # "那身份证呢?" is a new subject
    # "要带营业执照吗" about a food permit names a document; "营业执照在哪办" asks for the licence itself
    document = bool(hits) and not asks_about and ctx.subject is not None and hits[0].id != current and \
        _names_a_document_of(hits[0].matched, current, catalogue) and not _only_names(hits[0].matched, msg.text) and \
        aspect not in OBTAINING and not _obtains(hits[0].matched, msg.text)
    if document:
        return None
    if "social_security" in MATTERS and cues.HIRING.search(cues.normalise(msg.text)) and \
            not (hits and hits[0].score >= STRONG_HIT and hits[0].id != "social_security"):
        return _subject_of("social_security")  # "we plan to hire 2 baristas": enrolling them is the employer's
    if named and msg.confidence >= AGREE_MIN and any(h.id == base and h.score >= 0.5 for h in hits):
        return _subject_of(base)  # the model and the search agree ("宝宝出生了怎么上户口": a birth, not a move)
    if named and msg.confidence >= AGREE_MIN and cues.POINTS_AT.search(cues.normalise(msg.text)) and \
            any(h.id == base for h in hits):
        return _subject_of(base)  # "the food one" after the licence: a word of its name, pointed at
    if hits and hits[0].score >= STRONG_HIT:
        follow_up = ctx.subject is not None and (aspect is not None or cues.is_yes_no(msg.text) or short(msg.text))
        # a longer question keeps the subject only against a likeness with no word of the term in it
        # ("no smart phone" ~ "start up"; "my pension money" still names the pension)
        loose = ctx.subject is not None and cues.is_question(msg.text) and not _shares_a_word(hits[0].matched, msg.text)
        if not (follow_up and not _literal(hits[0].matched, msg.text)) and not loose:
            return _subject_of(hits[0].id)
        # a typo-level likeness ("requirements" ~ "retirement") in a follow-up is not a new subject
    # (with no subject yet, of the matter the words or the model point at: "我要开个奶茶店 要办哪些证")
    anchor = current or next((i for i in ([h.id for h in hits[:1]] + [base]) if i in catalogue.matters), None)
    events = _events_with({anchor}, catalogue) if anchor and cues.WHICH_PERMITS.search(cues.normalise(msg.text)) else []
    if len(events) == 1:
        return _subject_of(events[0])  # "需要办哪些证" after the food permit: all a new shop needs, in order
    if base in MATTERS or base in LIFE_EVENTS:
        if ctx.subject is None:
            return _subject_of(base) if msg.confidence >= NEW_SUBJECT_MIN else None
        # with a subject current, a short question is a follow-up whatever matter the model guessed:
        # only a longer message the model is sure about changes the subject without naming it
        follow_up = aspect is not None or cues.is_yes_no(msg.text) or short(msg.text)
        if msg.confidence >= SWITCH_SUBJECT_MIN and not follow_up:
            return _subject_of(base)
        if msg.confidence >= NEW_SUBJECT_MIN and current and base in MATTERS and base != current and \
                cues.ANYTHING_ELSE.search(cues.normalise(msg.text)) and _events_with({current, base}, catalogue):
            return _subject_of(base)  # "we'll sell cakes too, anything else?" after the licence: the next step
    return None


def _the_one_meant(reply: str, mentioned: Optional[Subject], ctx: Context, index: CatalogueIndex,
                   catalogue: Catalogue) -> Optional[Subject]:
    """The reply to "which card?" is one of the cards: "the social security one", "社保的" is the
    social security card, not social insurance."""
    kind = cues.kind_named(ctx.previous or "")
    if kind is None:
        return mentioned

    def of_kind(matter_id: str) -> bool:
        matter = catalogue.matters.get(matter_id)
        return matter is not None and cues.of_kind(kind, matter.name.zh, matter.name.en)  # type: ignore[arg-type]

    if mentioned is not None and of_kind(mentioned.id):
        return mentioned
    word = cues.kind_word(kind, ctx.lang)
    hit = next((h for h in index.search(f"{reply} {word}", ctx.lang, limit=8) if of_kind(h.id)), None)
    return Subject("matter", hit.id) if hit is not None else mentioned


def _which_one(msg: Message, mentioned: Optional[Subject], ctx: Context, index: CatalogueIndex,
               catalogue: Catalogue) -> Tuple[Optional[str], List[str]]:
    """A thing named only by its kind ("卡丢了", "I lost my card") that several matters are, with no
    word that says which: a guide asks which one, the likeliest first, rather than answer the
    classifier's guess. Not in a follow-up question ("钱发到哪张卡" after the pension is its card),
    nor when the current subject is such a thing, nor right after asking."""
    kind = cues.kind_named(msg.text)
    if kind is None or ctx.misses or cues.WHAT_KIND.search(cues.normalise(msg.text)) or msg.confidence >= AGREE_MIN or (
            mentioned is not None and _naming(mentioned, msg, ctx, index, catalogue) == "own") or \
            any(h.score >= STRONG_HIT for h in index.search(msg.text, ctx.lang, limit=3)):
        return None, []  # a name, a synonym or its homophone ("残积证") says which
    asks_for_one = cues.aspect(msg.text) is None and not cues.is_question(msg.text)  # "I need a card"
    if ctx.subject is not None and not (cues.tells_trouble(msg.text) or asks_for_one):
        return None, []
    current = _subject_matters(ctx.subject, ctx, catalogue) if ctx.subject is not None else []
    if cues.THE_ONE.search(cues.normalise(msg.text)) and any(
            cues.of_kind(k, catalogue.matters[m].name.zh, catalogue.matters[m].name.en)
            for m in current if m in catalogue.matters for k in cues.KINDS):
        return None, []  # "and if I lost the card itself" after the residence permit: that one
    things = [m for m, matter in catalogue.matters.items() if cues.of_kind(kind, matter.name.zh, matter.name.en)]
    if len(things) < 2 or set(things) & set(current):
        return None, []
    order = [r.get("name") for r in msg.ranking]
    things.sort(key=lambda m: order.index(m) if m in order else len(order))
    return kind, things[:3]


def _elliptical(text: str, aspect: Optional[str], mentioned: Optional[Subject], ctx: Context) -> str:
    """"我老伴九十一了呢" or "I'm 63" after "how much is the allowance" asks the same question at
    another age, "i have a brother" for that family, "那咋办" asks what to do about it, and "临时的呢" after "补办多少钱" or "and the
    survivors pension" after "how much is the funeral grant" asks it of another thing: the question
    to answer is the previous one with this message in it. Other news ("她住在美国呢") is a
    question of its own."""
    again = ("age" in answer_types.asked(text) and not cues.is_question(text) and len(text) <= 24) or \
        cues.only_what_to_do(text) or cues.tells_family(text) or cues.only_status(text)  # "那咋办": what to do about that
    if ctx.previous and (again and mentioned is None and aspect in (None, "process") or
                         aspect is None and _what_about(text, mentioned, ctx) and short(ctx.previous)):
        # a short question is asked again of the other part; a long one's own matter would drown it
        return f"{ctx.previous} {text}"
    # "she cant walk she gets pension too" tells of a pensioner, not of pensions; "my hukou is in
    # hunan, is that a problem" asks about what it tells
    request = cues.without_status(text)
    return request if len(re.sub(r"\W", "", request)) >= 6 and not cues.is_question(request) else text


def _what_about(text: str, mentioned: Optional[Subject], ctx: Context) -> bool:
    """"临时的呢", "and the survivors pension": another part of the subject under way, asked the way
    the last question was (a matter of its own, "那护照呢", is a new subject instead)."""
    on_it = mentioned in (None, ctx.subject) or (mentioned is not None and mentioned.id == ctx.topic)
    return ctx.subject is not None and on_it and short(text) and any(w in cues.normalise(text) for w in WHAT_ABOUT) \
        and not _NEXT.search(cues.normalise(text))


#: "下一步呢", "then what?": the next step, not another part of the subject
_NEXT = re.compile(r"下一|然后|接着|继续|还有呢|\b(next|then|go on|continue)\b")


def _obtains(term: str, text: str) -> bool:
    """"他能办身份证吗", "can I get a Chinese ID card": a verb of getting the document right before
    it asks for the document itself, not about bringing it."""
    said, named = cues.normalise(text), re.escape(cues.normalise(term))
    return bool(re.search(rf"(办|申请|申领|补|换)(个|张|一张|一个)?{named}|"
                          rf"\b(get|apply for|obtain|replace|renew)( an?| my| the)?( \w+)? {named}", said))


def _only_names(term: str, text: str) -> bool:
    """"身份证" or "the ID card" alone (an answer to "which one?", a new request) names a matter; it
    asks nothing about a document of the current one."""
    rest = cues.normalise(text).replace(cues.normalise(term), " ")
    rest = re.sub(r"\b(the|a|an|my|please|and|i mean|it's|its|one|ok|okay|want|need|to|do|get)\b", " ", rest)
    return not re.sub(r"[\W_的呢吧啊呀嘛那就是我要办想个还也再]", "", rest)


def _naming(subject: Subject, msg: Message, ctx: Context, index: CatalogueIndex, catalogue: Catalogue) -> Optional[str]:
    """How the message names the subject: "own" (a button, an entity, its name or a synonym as
    written), "shared" (a word of its that the current matter uses too: "签注" after the residence
    permit is that permit's endorsement), or ``None`` (only the classifier or a loose hit)."""
    if msg.entity_matter or msg.is_payload or any(w in cues.normalise(msg.text) for w in NAMING):
        return "own"  # "那身份证呢" alone names it (below); "医保也断了呢" after a social insurance gap may not
    current = _matter_of(ctx.subject, ctx)
    own = _matter_text(catalogue, current) if current in catalogue.matters else ""
    terms = _shared_terms(subject, msg, ctx, index)
    # "where do I get the business licence" after the food permit asks for the licence itself
    if any(term not in own or _only_names(term, msg.text) or _obtains(term, msg.text) for term in terms):
        return "own"
    return "shared" if terms else None


_TEXTS: Dict[int, Tuple[object, str]] = {}


def _matter_text(catalogue: Catalogue, matter_id: str) -> str:
    """Everything the catalogue says about a matter, in both languages, for word look-ups; kept
    per matter object (a publication makes new ones), as serialising it cost each such turn."""
    matter = catalogue.matters[matter_id]
    kept = _TEXTS.get(id(matter))
    if kept is None or kept[0] is not matter:
        if len(_TEXTS) > 4 * len(catalogue.matters):
            _TEXTS.clear()
        kept = _TEXTS[id(matter)] = (matter, cues.normalise(
            matter.json(ensure_ascii=False, exclude={"id", "related", "synonyms"})))
    return kept[1]


def _literal(term: str, text: str) -> bool:
    """The catalogue term is in the message as written (not only by sound or by a typo's likeness)."""
    term, text = cues.normalise(term), cues.normalise(text)
    cjk = "".join(ch for ch in term if "\u4e00" <= ch <= "\u9fff")
    if cjk:
        return cjk in text
    words = set(re.findall(r"[a-z0-9]+", text))
    return all(w in words or w + "s" in words for w in re.findall(r"[a-z0-9]+", term))


def _shares_a_word(term: str, text: str) -> bool:
    """A word of four letters or more of the catalogue term, or its Chinese, is in the message as written."""
    term, text = cues.normalise(term), cues.normalise(text)
    if any("\u4e00" <= ch <= "\u9fff" for ch in term):
        return _literal(term, text)
    words = set(re.findall(r"[a-z0-9]+", text))
    return any(w in words or w + "s" in words for w in re.findall(r"[a-z]{4,}", term))


def only_asks(text: str) -> bool:
    """A short question that names no matter, only what it asks ("要钱不", "how long"): a follow-up,
    never a matter to look up in the city's list."""
    return short(text) and (cues.aspect(text) is not None or cues.is_yes_no(text))


def short(text: str) -> bool:
    """A message of a few words: more often a follow-up than a new request."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk <= 8 if cjk else len(text.split()) <= 6


def _subject_matters(subject: Subject, ctx: Context, catalogue: Catalogue) -> List[str]:
    """The matters whose answers belong to the subject (a life event: its steps')."""
    if subject.kind == "event" and subject.id in catalogue.events:
        return [s.matter for s in catalogue.events[subject.id].steps]
    return [m for m in (_matter_of(subject, ctx),) if m]


def _event_step(text: str, mentioned: Optional[Subject], ctx: Context, index: CatalogueIndex,
                catalogue: Catalogue) -> Optional[str]:
    """In a life event, the step a message names: the matter itself, or a step found by a word it
    shares with another matter ("户口多久内要销" after a death: the hukou step, not a hukou move)."""
    if ctx.subject is None or ctx.subject.kind != "event" or mentioned is None:
        return None
    steps = _subject_matters(ctx.subject, ctx, catalogue)
    if ctx.subject.id == "bereavement" and AFTER_A_DEATH.get(mentioned.id) in steps:
        return AFTER_A_DEATH[mentioned.id]  # "and his pension?", "她的退休金咋办" after a death: stopping it
    if mentioned.kind != "matter":
        return None
    if mentioned.id in steps:
        return mentioned.id
    return _named_step(text, ctx, index, catalogue)


def _semantic_qa(text: str, subject: Subject, ctx: Context, catalogue: Catalogue,
                 find: Optional[QuestionFinder]) -> Optional[SemanticHit]:
    """The closest catalogue question among the subject's matters."""
    if find is None:
        return None
    hits = [h for h in (find(text, m) for m in _subject_matters(subject, ctx, catalogue)) if h is not None]
    return max(hits, key=lambda h: h.score) if hits else None


def _other_matters_question(text: str, msg: Message, ctx: Context, index: CatalogueIndex, catalogue: Catalogue,
                            find: Optional[QuestionFinder]) -> Optional[SemanticHit]:
    """A catalogue question of another matter than the current subject's, asked nearly word for word
    and naming that matter in words the current one does not use ("退休金要交个税吗" after the pension
    claim is the tax matter's "只有养老金要办个税汇算吗"). A question any matter answers ("can my son do
    it for me") or a shared word ("户口不在江州能领证吗") stays with the current subject."""
    if find is None or ctx.subject is None or ctx.subject.kind not in ("matter", "event"):
        return None
    here = _subject_matters(ctx.subject, ctx, catalogue)
    named = {h.id for h in index.search(cues.without_status(text), ctx.lang, limit=3) if h.score >= STRONG_HIT}
    others = [m for m in named if m in catalogue.matters and m not in here and
              _naming(Subject("matter", m), msg, ctx, index, catalogue) == "own"]
    who = cues.who(text) or ctx.who  # "他能办社保卡吗" about a foreign colleague is no "孩子能办社保卡吗"
    hits = [h for h in (find(text, m) for m in others) if h is not None and cues.who(h.qa.q.zh) in (None, who) and
            (h.score >= SEMANTIC_SURE or (h.score >= SEMANTIC_OVER_ASPECT and h.margin >= SEMANTIC_MARGIN))]
    if not hits:
        return None
    best = max(hits, key=lambda h: h.score)
    ours = _semantic_qa(text, ctx.subject, ctx, catalogue, find)
    return best if ours is None or ours.score + OTHER_QA_MARGIN <= best.score else None


def _explained_by_current(text: str, mentioned: Optional[Subject], msg: Message, ctx: Context,
                          index: CatalogueIndex, catalogue: Catalogue, rank: AnswerRank,
                          said_aspect: Optional[str]) -> bool:
    """A matter the message does not name is a new subject only when its answers fit the message
    better than the current subject's do: a guide keeps the thread unless the person leaves it."""
    if mentioned is None or mentioned.kind != "matter" or ctx.subject is None or mentioned == ctx.subject or \
            ctx.subject.kind not in ("matter", "event") or _event_step(text, mentioned, ctx, index, catalogue):
        return False
    naming = _naming(mentioned, msg, ctx, index, catalogue)
    if naming == "own":
        return False
    here = rank(text, _subject_matters(ctx.subject, ctx, catalogue), ctx.lang, said_aspect)
    there = rank(text, [mentioned.id], ctx.lang, said_aspect)
    if naming == "shared" and here and not _answer_uses(here[0], _shared_terms(mentioned, msg, ctx, index),
                                                        catalogue, ctx.lang):
        # "娃的医保咋办" after the birth registration, which only lists the baby's insurance among what
        # "birth as one thing" covers: its best answer says nothing of it ("签注多久一次" after the
        # residence permit is answered by the permit's own endorsement)
        return False
    margin = SHARED_WORD_MARGIN if naming == "shared" else SWITCH_MARGIN
    return bool(here and there) and here[0].score + margin >= there[0].score


def _shared_terms(mentioned: Subject, msg: Message, ctx: Context, index: CatalogueIndex) -> List[str]:
    """The words of ``mentioned`` written in the message (its name or a synonym)."""
    return [cues.normalise(h.matched) for h in index.search(msg.text, ctx.lang, limit=3)
            if h.id == mentioned.id and h.score >= STRONG_HIT and _literal(h.matched, msg.text)]


def _answer_uses(candidate: Candidate, terms: List[str], catalogue: Catalogue, lang: str) -> bool:
    """Whether the answer the current subject would give says one of ``terms`` (in either language)."""
    if candidate.qa is not None:
        said = " ".join((candidate.qa.q.zh, candidate.qa.a("zh"), candidate.qa.q.en, candidate.qa.a("en")))
    elif candidate.matter in catalogue.matters:
        matter = catalogue.matters[candidate.matter]
        said = " ".join(matter_answer(matter, catalogue, candidate.aspect, lang_).text for lang_ in ("zh", "en"))
    else:
        return True
    said = cues.normalise(said)
    return any(term in said for term in terms)


def _still_on_step(text: str, ctx: Context, catalogue: Catalogue) -> bool:
    """The last answer was about one step of the life event and the message does not ask about the
    whole event: the step stays the one talked about, as the subject does."""
    return ctx.subject is not None and ctx.subject.kind == "event" and ctx.topic is not None and \
        ctx.topic in _subject_matters(ctx.subject, ctx, catalogue) and not cues.says(text, "event_wide")


def _after_elderly_overview(text: str, ctx: Context) -> bool:
    """In elderly mode a life event is told one step at a time, starting with the first: right
    after that overview a question not about the whole event is about the step just described."""
    return ctx.elderly and ctx.subject is not None and ctx.subject.kind == "event" and \
        ctx.topic == ctx.subject.id and not cues.says(text, "event_wide")


def _named_step(text: str, ctx: Context, index: CatalogueIndex, catalogue: Catalogue,
                floor: float = STEP_HIT) -> Optional[str]:
    """A step of the current life event that the message's words point at, if any."""
    steps = _subject_matters(ctx.subject, ctx, catalogue) if ctx.subject is not None else []
    return next((h.id for h in index.search(text, ctx.lang, limit=8) if h.id in steps and h.score >= floor), None)


def _step_in_words(text: str, ctx: Context, index: CatalogueIndex, catalogue: Catalogue) -> Optional[str]:
    """A step of the life event under way that the message itself names, by a strong catalogue hit
    or a word of its name or of its note."""
    return _named_step(text, ctx, index, catalogue, STRONG_HIT) or _step_by_name(text, ctx, catalogue, notes=True)


def _thing_step(text: str, mentioned: Optional[Subject], ctx: Context, catalogue: Catalogue) -> Optional[str]:
    """The step a thing named stands for: in a life event with a property step, a home ("房子是他的名", "the flat is in her name") is
    that step, though the words name no matter and the classifier hears nothing it knows; after a
    death, so is the pension ("他还领着退休金呢 咋弄": stopping it, not closing social insurance)."""
    if ctx.subject is None or ctx.subject.kind != "event" or mentioned not in (None, ctx.subject):
        return None
    low = cues.normalise(text)
    step = "property_registration" if cues.HOME.search(low) else \
        "funeral_subsidy" if ctx.subject.id == "bereavement" and PENSION.search(low) else None
    return step if step in _subject_matters(ctx.subject, ctx, catalogue) else None


def _step_by_name(text: str, ctx: Context, catalogue: Catalogue, notes: bool = False) -> Optional[str]:
    """The one step of the life event whose name has a word of the message ("他的养老金咋办" after
    the hukou cancellation: "丧葬补助金、抚恤金申领与养老金停发"; "and his pension?": "Funeral
    grant, survivors' pension and stopping the pension"). Three Chinese characters or a word of
    five letters at least, or two characters that are no common pair: "户口" or "apply" are in too many
    names to tell steps apart."""
    low = cues.normalise(text)
    words = {low[i:i + n] for n in (2, 3, 4) for i in range(len(low) - n + 1) if _CJK_WORD.fullmatch(low[i:i + n])}
    words -= COMMON_PAIRS
    words |= {w for w in re.findall(r"[a-z]{5,}", low)}
    if not words:
        return None
    steps = [m for m in _subject_matters(ctx.subject, ctx, catalogue) if m in catalogue.matters]  # type: ignore[arg-type]
    found = [m for m in steps if any(w in cues.normalise(catalogue.matters[m].name(ctx.lang)) for w in words)]
    if not found and notes and ctx.subject is not None and ctx.subject.kind == "event":
        # or, in the event under way, the one step whose note has it ("刻章" is done with the business
        # licence, "invoices" at the tax window): longer English words only, "after" is in many a note,
        # and no pair with a particle ("够了" of "补够了以后" is no word of "缴费年限够了")
        words = {w for w in words if (not w.isascii() and not PARTICLES.search(w)) or len(w) >= 6}
        said_in = {m: cues.normalise(note.a(ctx.lang)) for m in steps
                   if (note := catalogue.step_note(f"{ctx.subject.id}/{m}")) is not None}
        found = [m for m, note in said_in.items() if any(w in note for w in words)]
    return found[0] if len(found) == 1 else None


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
PARTICLES = re.compile(r"[了的吗呢啊吧么着过得地]")
#: two characters in many a step's name or in any request: they name no step ("认证", "停发" do)
COMMON_PAIRS = {"办理", "申请", "申领", "领取", "登记", "手续", "证明", "材料", "与户", "户口", "养老", "保险", "社会", "医疗",
                "一件", "事项", "证件", "窗口", "补贴", "缴费", "记录", "转移", "营业", "时间", "经营", "变更"}


def _standout_step(ranked: List[Candidate]) -> Optional[str]:
    """In a life event, the step whose answer fits a follow-up clearly better than the same kind of
    answer of every other step does (otherwise the answer covers all the steps)."""
    if not ranked or ranked[0].aspect is None:
        return None
    top = ranked[0]
    others = [c.score for c in ranked if c.aspect == top.aspect and c.matter != top.matter]
    return top.matter if not others or top.score - max(others) >= STEP_MARGIN else None


def _opening_question(text: str, subject: Subject, mentioned: Optional[Subject], ctx: Context,
                      rank: Optional[AnswerRank], said_aspect: Optional[str], asks: bool) -> Optional[Candidate]:
    """A question that opens a matter ("我退休了公积金能取出来不", "my food licence expires soon, what
    now") and that one of its Q&As answers better than any general answer: a guide answers it
    first, then says what the matter needs."""
    if rank is None or not asks or subject.kind != "matter" or mentioned != subject or mentioned == ctx.subject:
        return None
    ranked = rank(text, [subject.id], ctx.lang, said_aspect)
    top = ranked[0] if ranked and ranked[0].qa is not None else None
    if top is not None and not cues.is_yes_no(text) and YES_NO_LEAD.match(top.qa.a(ctx.lang)):  # type: ignore[union-attr]
        return None  # "要办啥" is not answered "需要。…"
    return top


def wanted_form(msg: Message, ctx: Context, has_case_number: bool, has_booking_code: bool,
                mentioned: Optional[Subject] = None) -> Optional[str]:
    """The form this message asks for, if it really asks for one: the words say so (or a case
    number or booking code is in it), or the model is sure and there is nothing to follow up on."""
    text, base = msg.text, (msg.intent or "").split("/")[0]
    if cues.says(text, "cancel_booking") or (has_booking_code and base == "cancel_appointment"):
        return "cancel_appointment_form"
    if base == "cancel_appointment" or (ctx.subject is not None and base in FORM_INTENTS and not has_case_number):
        base = ""  # cancelling needs its words or a code; with a subject under way, so does any form
    aspect = cues.aspect(text)
    # "食品证批下来要几天" names the matter and asks its time; "is my hukou paperwork done" asks for a case
    about_matter = (ctx.subject is not None and ctx.subject.kind in ("matter", "event") and aspect is not None) or \
        (mentioned is not None and mentioned.kind in ("matter", "event") and aspect == "time")
    # "批下来以后从哪个月开始发" after the pension claim asks about the matter, not for someone's case
    in_general = cues.APPROVAL.sub(" ", cues.normalise(text))
    about_matter = about_matter or (ctx.subject is not None and ctx.subject.kind in ("matter", "event") and
                                    cues.is_question(text) and not cues.says(in_general, "case_status"))
    if has_case_number or (cues.says(text, "case_status") and not about_matter):
        return "case_status_form"  # "多久能批下来" after a matter asks how long it takes, not for a case
    if cues.says(text, "book"):
        return "appointment_form"
    if base in FORM_INTENTS and base != "inform" and msg.confidence >= NEW_SUBJECT_MIN and (
            ctx.subject is None or not (short(text) or cues.is_question(text))) and not aspect:
        return FORM_INTENTS[base]
    return None


def decide(msg: Message, ctx: Context, index: CatalogueIndex, catalogue: Catalogue,
           find_question: Optional[QuestionFinder] = None, *, has_case_number: bool = False,
           has_booking_code: bool = False, rank_answers: Optional[AnswerRank] = None) -> Decision:
    """Read the message in the light of the conversation so far."""
    text, base = msg.text, (msg.intent or "").split("/")[0]
    if msg.is_payload:
        if base in FORM_INTENTS:
            return Decision("form", ctx.subject, detail=FORM_INTENTS[base])
        if base == "next_step":
            return Decision("next_step", ctx.subject, who=ctx.who)
        aspect = INTENT_ASPECTS.get(base)
        subject = mentioned_subject(msg, ctx, index, catalogue, aspect) or ctx.subject
        if base in SMALL_TALK:
            return Decision("small_talk", ctx.subject, detail=base)
        if subject is None:
            return Decision("clarify", candidates=[])
        return Decision("answer" if aspect else "overview", subject, aspect, who=ctx.who)

    reply = None
    if ctx.misses and ctx.previous and len(text) <= 24 and not cues.is_question(text) and not cues.only_greets(text):
        # "lost my card" → "which one?" → "the social security one": the reply completes the first message
        reply, text = text, f"{ctx.previous} {text}"
        msg = replace(msg, text=text)
    if base in ("greet", "goodbye") and not short(text) and not (cues.says(text, "bye") or cues.says(text, "thanks")):
        base = ""  # "later i want to sell coffee i make myself" tells a plan; it takes no leave
    aspect = cues.aspect(cues.without_status(text))  # "i pay my own insurance" says who, asks no fee
    yes_no = cues.is_yes_no(text)
    who = cues.who(text)
    in_bereavement = ctx.subject is not None and ctx.subject.key == "event:bereavement"
    if who == "senior" and in_bereavement:
        who = None  # "她的退休金咋办" after a death: the one who died was the pensioner
    if aspect == "proxy" and who in ("minor", "senior") and not cues.PRESENCE.search(cues.normalise(text)):
        who = "agent"  # "can my daughter do it for me": the daughter is the one applying for me
    elif who == "minor" and ctx.who == "agent" and not SMALL_CHILD.search(cues.normalise(text)):
        who = "agent"  # "闺女要带啥" after "能让闺女去不": the daughter going for them, not a child
    mentioned = mentioned_subject(msg, ctx, index, catalogue, aspect)
    if who == "foreigner" and ctx.subject is None and cues.ARRIVED.search(cues.normalise(text)) and \
            (mentioned is None or mentioned.id in FOREIGNERS_ELSEWHERE) and "residence_permit" in catalogue.matters:
        # a foreign national just arrived ("landed last week on a work visa"): the residence permit
        # is the first thing (its foreigners' note says where and within how many days)
        mentioned = Subject("matter", "residence_permit")
    elif ctx.subject is None and cues.asks_outright(text) and (mentioned is None or (
            cues.ARRIVED.search(cues.normalise(text)) and _naming(mentioned, msg, ctx, index, catalogue) != "own")):
        # what a life event asks of one, told without naming a matter: "刚从安徽过来江州上班，要办些什么手续"
        # (whatever the classifier guessed), "女朋友上周生了，接下来要办哪些手续"
        told = "moving_to_the_city" if cues.ARRIVED.search(cues.normalise(text)) else \
            "having_a_baby" if cues.says(text, "newborn") else None
        mentioned = Subject("event", told) if told in catalogue.events else mentioned
    if reply is not None:
        mentioned = _the_one_meant(reply, mentioned, ctx, index, catalogue)
    if cues.says(text, "bereavement") and not in_bereavement:  # a condolence first, whatever was asked
        return _bereavement(text, mentioned, aspect, ctx, catalogue, rank_answers)
    elsewhere = cues.not_ours(text)
    trip = ctx.subject is not None and mentioned is None and cues.says(text, "trip") and not cues.says(text, "buy_ticket")
    if trip and elsewhere == "travel":
        elsewhere = None  # "i have a flight on friday" while the lost ID card is discussed: why it is urgent
    if elsewhere == "hospital" and ctx.subject is not None and mentioned is None and cues.is_question(text) and \
            cues.not_ours(cues.SEES_A_DOCTOR.sub(" ", cues.normalise(text))) is None:
        # "补好之前去看病咋办" while the lost card is discussed: when the card is needed, not a doctor's booking
        elsewhere = None
    if elsewhere and (mentioned is None or mentioned.kind not in ("matter", "event") or elsewhere in ALWAYS_ELSEWHERE or
                      cues.RECOMMEND.search(cues.normalise(text)) or  # "哪家的证件照拍得好": a shop, not the ID card
                      cues.says(text, "book") or (_naming(mentioned, msg, ctx, index, catalogue) != "own" and
                                                  not cues.says(text, "our_business"))):
        # "order me some noodles" is not a food permit, and we book no doctor: only a matter named in
        # its own words ("I want to open a restaurant") wins over a request that is someone else's
        return Decision("not_ours", detail=elsewhere)
    if cues.says(text, "complaint") and mentioned is None:
        return Decision("complaint")
    if cues.says(text, "thanks") and mentioned is None and aspect is None and not cues.is_question(text):
        return Decision("small_talk", ctx.subject, detail="goodbye" if cues.says(text, "bye") else "affirm")
    if cues.only_greets(text):  # "在吗?" is a greeting, not a question about a matter
        return Decision("small_talk", ctx.subject, detail="greet")
    form = wanted_form(msg, ctx, has_case_number, has_booking_code, mentioned)
    if form is not None:
        return Decision("form", mentioned or ctx.subject, detail=form)
    switch = cues.switch_language(text)
    if switch and mentioned is None and aspect is None:
        return Decision("switch", ctx.subject, ctx.aspect, who=ctx.who, detail=switch,
                        focus=ctx.topic if _still_on_step("", ctx, catalogue) else None)  # the step, as simplify
    # the model hears "again" in "what do I need to bring again": a question, not a request to repeat
    if (cues.says(text, "repeat") or (base == "repeat" and aspect is None)) and mentioned is None:
        return Decision("repeat", ctx.subject, ctx.aspect, who=ctx.who)
    if cues.says(text, "simplify") and mentioned is None and aspect is None:  # in a life event, of the step
        return Decision("simplify", ctx.subject, ctx.aspect, who=ctx.who,
                        focus=ctx.topic if _still_on_step("", ctx, catalogue) else None)
    if base == "next_step" and aspect is None and mentioned is None and who is None and \
            "age" not in answer_types.asked(text) and not _what_about(text, mentioned, ctx):
        # "儿媳妇是越南的呢", "我六十二呢", "临时的呢" are not "next"
        return Decision("next_step", ctx.subject, who=ctx.who)

    kind, which = _which_one(msg, mentioned, ctx, index, catalogue)
    if which:  # "卡丢了": which card? the classifier's pick of one is a guess
        return Decision("clarify", None, aspect, yes_no, who, detail=kind, candidates=which)
    said_aspect = aspect  # the aspect the words name (the classifier's guess below is weaker evidence)
    elsewhere_qa = _other_matters_question(text, msg, ctx, index, catalogue, find_question)
    if elsewhere_qa is not None:  # "退休金要交个税吗" after claiming it: the tax matter's Q&A
        return Decision("qa", Subject("matter", elsewhere_qa.matter), aspect, yes_no, who, who_said=who is not None,
                        qa=(elsewhere_qa.matter, elsewhere_qa.qa.q.zh))
    if rank_answers is not None and _explained_by_current(text, mentioned, msg, ctx, index, catalogue,
                                                          rank_answers, said_aspect):
        mentioned = None
    if aspect is None and base in INTENT_ASPECTS and msg.confidence >= NEW_SUBJECT_MIN:
        aspect = INTENT_ASPECTS[base]
    subject = mentioned or ctx.subject
    # who a matter is for ends with it, except a foreign national's nationality: "can he get an ID
    # card" after his residence permit is still about him
    keep_who = who or (ctx.who if mentioned is None or subject == ctx.subject or ctx.who == "foreigner" else None)
    said = who is not None
    if mentioned is not None and mentioned != ctx.subject and aspect is None and ctx.aspect and \
            any(w in cues.normalise(text) for w in WHAT_ABOUT) and len(text) <= 24:
        aspect = ctx.aspect  # "那护照呢?" after the ID-card fee: the same question, another matter
    if subject is not None:
        # a question about the subject under way: the answer of the subject it asks for, by meaning
        # (in a life event, naming one of its steps is a question about that step, in the event)
        focus = _event_step(text, mentioned, ctx, index, catalogue) if rank_answers is not None else None
        if focus:
            subject = ctx.subject
        elif mentioned is None and _after_elderly_overview(text, ctx):
            # an older person was just told "first, the pension claim": "啥时候开始发钱" is about that one
            steps = _subject_matters(ctx.subject, ctx, catalogue)  # type: ignore[arg-type]
            focus = _step_in_words(cues.without_status(text), ctx, index, catalogue) or (steps[0] if steps else None)
        elif mentioned is None and _still_on_step(text, ctx, catalogue):
            # "要交满多少年" after the pension claim step is still about it; "税务那边在哪" is not
            # ("多久到账" after the funeral grant: a loose likeness to "报销多久到账" does not move it)
            focus = _step_in_words(text, ctx, index, catalogue) or ctx.topic
        thing = _thing_step(text, mentioned, ctx, catalogue)
        focus = thing or focus  # "what about his flat? it's only in his name" after a death: the inheritance
        follow_up = ctx.subject is not None and (mentioned in (None, ctx.subject) or focus is not None)
        # a statement about their situation ("她腿脚不方便出不了门") continues the subject too
        asks = aspect is not None or yes_no or who is not None or cues.is_question(text) or (
            mentioned is None and base not in SMALL_TALK and base != "out_of_scope") or \
            _what_about(text, mentioned, ctx) or (mentioned is None and cues.tells_family(text)) or trip or thing
        if focus and focus != ctx.topic and not asks and mentioned is not None and \
                (short(text) or any(w in cues.normalise(text) for w in WHAT_ABOUT)):
            # "and his pension", "he got pension" after a death: that step, in the event (a longer
            # statement, "he still had money in his medical insurance account", is answered by meaning)
            return Decision("overview", subject, None, yes_no, keep_who, who_said=said, focus=focus)
        if rank_answers is not None and follow_up and asks and subject.kind in ("matter", "event"):
            steps = [focus] if focus else _subject_matters(subject, ctx, catalogue)
            # the step under discussion's note (a question about the whole event is answered for all steps)
            notes = [f"{subject.id}/{focus}"] if focus and subject.kind == "event" else []
            ranked = rank_answers(_elliptical(text, said_aspect, mentioned, ctx), steps + notes, ctx.lang, said_aspect)
            top = ranked[0] if ranked else None
            if top is not None and top.qa is not None and "/" in top.qa.q.zh and focus and \
                    said_aspect in NOT_IN_NOTES and not _note_says(top.qa.a(ctx.lang), said_aspect):
                # "食品许可证要钱不" in a new shop's checklist: the step's fee, which its note does not say
                return Decision("answer", subject, said_aspect, yes_no, keep_who, who_said=said, focus=focus)
            if top is not None and top.qa is not None:
                return Decision("qa", subject, aspect, yes_no, keep_who, qa=(top.matter, top.qa.q.zh),
                                who_said=said, focus=top.matter if subject.kind == "event" else None)
            if top is not None and (subject.kind == "matter" or focus):
                return Decision("answer", subject, top.aspect, yes_no, keep_who, who_said=said, focus=focus)
            step = _standout_step(ranked) if subject.kind == "event" and not cues.says(text, "event_wide") else None
            if step is not None:  # "要交满多少年" in retiring: the pension claim's answer, not every step's
                return Decision("answer", subject, ranked[0].aspect, yes_no, keep_who, who_said=said, focus=step)
        if aspect in ("materials", "process") and subject.kind == "event" and mentioned == subject != ctx.subject:
            # "just moved here, what paperwork do I need": the steps first, each one's documents after
            return Decision("overview", subject, None, yes_no, keep_who, who_said=said)
        # a trouble told, not asked ("I can't find my social security card"), opens with its Q&A only
        # when the words name the matter: "lost my card" is the classifier's guess of which card
        told = cues.tells_trouble(text) and mentioned is not None and \
            _naming(mentioned, msg, ctx, index, catalogue) == "own"
        opening = _opening_question(text, subject, mentioned, ctx, rank_answers, said_aspect,
                                    (asks and (yes_no or cues.is_question(text))) or told)
        if opening is not None:
            return Decision("qa", subject, said_aspect, yes_no, keep_who, qa=(opening.matter, opening.qa.q.zh),  # type: ignore[union-attr]
                            who_said=said, with_overview=True)
        sem = _semantic_qa(text, subject, ctx, catalogue, find_question)
        plain = aspect in (None, "frequency")
        bar = SEMANTIC_QA if plain else SEMANTIC_OVER_ASPECT
        if sem is not None and ((plain and sem.score >= SEMANTIC_SURE) or
                                (sem.score >= bar and sem.margin >= SEMANTIC_MARGIN)):
            # a Q&A that opens a matter ("外孙快两个月了还没上户口") is followed by what the matter needs
            opens = mentioned is not None and mentioned != ctx.subject and subject.kind == "matter"
            return Decision("qa", subject, aspect, yes_no, keep_who, qa=(sem.matter, sem.qa.q.zh), who_said=said,
                            with_overview=opens)
        if subject.kind == "hall" and mentioned is None:
            return Decision("hall", subject, aspect, yes_no)
        if subject.kind == "case" and mentioned is None and cues.says(text, "what_next"):
            return Decision("case", subject, "status", yes_no, keep_who, who_said=said)  # its status says what is next
        if subject.kind == "case" and mentioned is None and ctx.case_matter and aspect in ("time", None) and \
                cues.says(text, "express"):
            # "加急能办吗" about a case under review: whether the matter can be hurried, not its status again
            return Decision("answer", Subject("matter", ctx.case_matter), "time", yes_no, keep_who, who_said=said)
        if subject.kind == "case" and mentioned is None and rank_answers is not None and ctx.case_matter and \
                said_aspect in (None, "online", "proxy", "eligibility", "fee") and asks:
            # "能寄到家吗" after a case status: a question about the case's matter the catalogue answers
            ranked = rank_answers(text, [ctx.case_matter], ctx.lang, said_aspect)
            if ranked and ranked[0].qa is not None:
                return Decision("qa", subject, aspect, yes_no, keep_who, qa=(ranked[0].matter, ranked[0].qa.q.zh),
                                who_said=said)
            if ranked and aspect is None and ranked[0].aspect in ("collect", "online", "proxy", "fee"):
                aspect = ranked[0].aspect  # "能寄到家吗": how it is collected, not the status again
        if subject.kind == "case" and mentioned is None:
            if aspect or cues.is_question(text) or who:
                # "can my daughter get it?" after a case: who may collect it
                return Decision("case", subject, aspect or ("collect" if who else "status"), yes_no, keep_who,
                                who_said=said)
        if aspect:
            # "身份证过期了咋办" opening a matter: the deadline, then what renewing needs
            # (a trouble told, not asked, too: "my id card runs out next month")
            opens = mentioned is not None and mentioned != ctx.subject and subject.kind == "matter" and \
                aspect in OPENING_ASPECTS and (cues.names(text, "process") or not cues.asks_outright(text))
            return Decision("answer", subject, aspect, yes_no, keep_who, who_said=said, with_overview=opens)
        if mentioned is not None and mentioned != ctx.subject:
            return Decision("overview", mentioned, None, yes_no, keep_who, who_said=said)
        matter = _matter_of(subject, ctx)
        qa = index.best_answer(text, matter) if matter else None
        if qa is not None and qa.matter == matter and qa.score >= RELATED_QA:
            return Decision("qa", subject, None, yes_no, keep_who, qa=(matter, qa.qa.q.zh), who_said=said)
        if who:
            return Decision("answer", subject, "process", yes_no, keep_who, who_said=said)
        if mentioned is not None:
            return Decision("overview", mentioned, None, yes_no, keep_who, who_said=said)
    if subject is None and (aspect in ("hours", "where") or cues.says(text, "hall")):  # "你们几点下班?": the hall
        return Decision("hall", Subject("hall", "main"), aspect, yes_no)
    if base in SMALL_TALK and not cues.is_question(text):
        return Decision("small_talk", ctx.subject, detail=base)
    qa = index.best_answer(text, None)
    if qa is not None and qa.score >= STRONG_QA:
        return Decision("qa", Subject("matter", qa.matter), None, yes_no, who, qa=(qa.matter, qa.qa.q.zh))
    if base == "out_of_scope" and msg.confidence >= NEW_SUBJECT_MIN and aspect is None:
        return Decision("out_of_scope")
    if subject is not None and (cues.is_question(text) or base in MATTERS or base in INTENT_ASPECTS):
        return Decision("overview", subject, None, yes_no, keep_who, who_said=said)
    return Decision("clarify", None, aspect, yes_no, who)


def _bereavement(text: str, mentioned: Optional[Subject], aspect: Optional[str], ctx: Context,
                 catalogue: Catalogue, rank_answers: Optional[AnswerRank]) -> Decision:
    """News of a death: the condolence, then the step the message names, if it names one ("how do
    we cancel my late father's hukou"). How much of something ("how much is the funeral grant") is
    one of the step's Q&As; "how do we cancel the hukou" is the step itself."""
    bereavement = Subject("event", "bereavement")
    named = None if mentioned is None else \
        AFTER_A_DEATH.get(mentioned.id, mentioned.id) if mentioned.kind == "matter" or PENSION.search(text) else mentioned.id
    if named is None and PENSION.search(text) and "funeral_subsidy" in catalogue.matters:
        named = "funeral_subsidy"  # "他那退休金还打不打": the pension the one who died drew
    step = named if named in _subject_matters(bereavement, ctx, catalogue) else \
        _step_by_name(text, replace(ctx, subject=bereavement), catalogue)
    ranked = rank_answers(text, [step], ctx.lang, None) if step and rank_answers and aspect is None and \
        AMOUNT.search(cues.normalise(text)) else []
    qa = (ranked[0].matter, ranked[0].qa.q.zh) if ranked and ranked[0].qa is not None else None
    # a foreign national's death is another office's ("注销居留许可" at A10): kept for what follows
    who = "foreigner" if "foreigner" in (cues.who(text), ctx.who) else None
    return Decision("bereavement", bereavement, aspect if step else None, who=who, focus=step, qa=qa)


def subject_topic(subject: Optional[Subject], case_topic: str = "case_status") -> Optional[str]:
    if subject is None:
        return None
    if subject.kind == "hall":
        return "service_hall_info"
    return case_topic if subject.kind == "case" else subject.id
