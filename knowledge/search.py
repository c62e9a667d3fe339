"""Search the catalogue the way people type: names, synonyms, colloquial words, typos, homophones.

Government search boxes fail on "户口" (the matter is called 户籍迁入), on "prove I'm alive"
(pension eligibility certification), on 身份正 (a speech-input homophone of 身份证) and on
"pasport". Each matter and life event is indexed by weighted terms from the catalogue (names,
synonyms, the ways people ask its questions, its documents). A query term scores by, in order of
trust: exact containment, same pinyin (homophones, toneless), fuzzy character bigrams (Chinese
typos), fuzzy words (English typos and word forms). Pure and deterministic; built once per process.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import AbstractSet, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from pypinyin import lazy_pinyin

from knowledge.catalogue import QA, Catalogue, get_catalogue
from knowledge.cues import mend

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a an the i im i'm me my mine we our you your he she his her it its they them their is am are "
    "was were be been do does did to of for in on at by with and or but if so how what when where "
    "which who why can could would should will shall may might must need want get got have has "
    "had please help about this that these those there here some any just like also still up out "
    "from into want wanna gonna let lets s t don't dont not no yes ok hi hello".split()
)
_CONTRACTIONS = {"i'm": "i am", "i’m": "i am", "can't": "can not", "won't": "will not",
                 "don't": "do not", "it's": "it is", "what's": "what is", "where's": "where is"}

#: weights: a hit on the official name counts most, a document name least
W_NAME, W_SYNONYM, W_QUESTION, W_MATERIAL = 1.0, 0.9, 0.55, 0.25


@dataclass(frozen=True)
class Hit:
    kind: str  # matter | life_event
    id: str
    name: str
    score: float
    matched: str  # the catalogue term that matched best (explains the ranking)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "name": self.name, "score": round(self.score, 3),
                "matched": self.matched}


@dataclass(frozen=True)
class QAHit:
    matter: str
    qa: QA
    score: float


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, English contractions spelled out."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    for short, long in _CONTRACTIONS.items():
        text = text.replace(short, long)
    return text


def stem(word: str) -> str:
    """A light English stemmer: enough to make 'renewing', 'renewal' and 'renew' meet."""
    for suffix in ("ations", "ation", "ings", "ing", "als", "al", "ies", "es", "ed", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str) -> List[str]:
    return [stem(w) for w in _WORD.findall(normalise(text)) if w not in STOPWORDS]


def cjk_text(text: str) -> str:
    return "".join(_CJK_RUN.findall(normalise(text)))


def fuzzy_syllable(syllable: str) -> str:
    """Fold the sounds that speech recognisers and southern accents confuse (zh/z, ch/c, sh/s,
    n/l, -ng/-n), so 驾造 (jia zao) still meets 驾照 (jia zhao)."""
    for retroflex in ("zh", "ch", "sh"):
        if syllable.startswith(retroflex):
            syllable = syllable[0] + syllable[2:]
    if syllable.startswith("l"):
        syllable = "n" + syllable[1:]
    if syllable.endswith("ng") and len(syllable) > 2:
        syllable = syllable[:-1]
    return syllable


def syllables(text: str) -> List[str]:
    """Toneless, accent-folded pinyin of the Chinese characters: 身份正 and 身份证 match."""
    return [fuzzy_syllable(s) for s in lazy_pinyin(cjk_text(text))]


#: question words and particles: a homophone never runs through one ("有钱领 怎么办" holds no 领证)
_NO_SOUND = set("怎么什啥咋哪吗呢了的吧啊呀")


def query_syllables(text: str) -> List[str]:
    """The message's syllables for homophone matching: a homophone stays inside one run of Chinese
    (no match across a space or a comma) and never takes a question word or particle in."""
    out: List[str] = []
    for run in _CJK_RUN.findall(normalise(text)):
        out.extend("·" if ch in _NO_SOUND else syl for ch, syl in zip(run, syllables(run)))
        out.append("|")
    return out


def bigrams(text: str) -> set:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} if text else set()


def _contains_sequence(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return n > 0 and any(list(haystack[i : i + n]) == list(needle) for i in range(len(haystack) - n + 1))


def _fuzzy_word(word: str, candidates: Iterable[str]) -> float:
    """1.0 for an exact word, ~0.8-0.95 for a typo of it, 0 otherwise."""
    best = 0.0
    for cand in candidates:
        if cand == word:
            return 1.0
        # a typo keeps the first letter: "live" is not a typo of "alive", nor "ward" of "award"
        if min(len(cand), len(word)) >= 4 and abs(len(cand) - len(word)) <= 2 and cand[0] == word[0]:
            ratio = difflib.SequenceMatcher(None, word, cand).ratio()
            if ratio >= 0.8 and ratio > best:
                best = ratio
    return best


@dataclass(frozen=True)
class _Term:
    text: str
    weight: float
    cjk: str  # Chinese characters of the term
    pinyin: Tuple[str, ...]
    words: Tuple[str, ...]  # English content words


def _term(text: str, weight: float) -> _Term:
    cjk = cjk_text(text)
    return _Term(text=text, weight=weight, cjk=cjk, pinyin=tuple(syllables(cjk)) if cjk else (),
                 words=tuple(content_words(text)) if not cjk else ())


#: words that hold a shorter catalogue term without meaning it: "领证件" (collect the papers) is no "领证"
#: (marry)
NOT_THE_TERM = re.compile(r"领证件")


class _Query:
    def __init__(self, text: str) -> None:
        text = NOT_THE_TERM.sub("取证件", text)
        self.text = normalise(text)
        self.cjk = cjk_text(text)
        self.pinyin = query_syllables(text)
        self.bigrams = bigrams(self.cjk)
        self.words = content_words(text)


def score_term(term: _Term, query: _Query) -> float:
    """How strongly one catalogue term matches the query (0 = not at all)."""
    return term_score(term.weight, term.cjk, frozenset(bigrams(term.cjk)), frozenset(term.cjk), term.words,
                      query.cjk, query.bigrams, lambda: _contains_sequence(query.pinyin, term.pinyin),
                      lambda word: _fuzzy_word(word, query.words) if query.words else 0.0)


def term_score(weight: float, cjk: str, term_bigrams: AbstractSet[str], chars: AbstractSet[str],
               words: Sequence[str], query_cjk: str, query_bigrams: AbstractSet[str],
               sounds_in_query: Callable[[], bool], word_match: Callable[[str], float]) -> float:
    """The rules and weights of a term match, shared by this search and ``knowledge/lexicon.py``
    (which precomputes the term's parts and the query's word matches for hundreds of matters)."""
    if cjk:
        if not query_cjk:
            return 0.0
        length_bonus = 1 + 0.08 * min(len(cjk), 6)
        if cjk in query_cjk:
            return weight * length_bonus
        if len(cjk) >= 2 and sounds_in_query():
            return weight * 0.9 * length_bonus
        if len(query_cjk) >= 2 and query_cjk in cjk:  # the query is part of a longer name
            return weight * 0.75 * len(query_cjk) / len(cjk)
        if len(cjk) >= 3:
            shared = len(term_bigrams & query_bigrams) / len(term_bigrams)
            # a typo breaks two bigrams of the term; one matching syllable pair confirms it
            # a typo plus reordering ("营业证照", "老人公交卡"): most characters still appear
            covered = sum(1 for ch in chars if ch in query_cjk) / len(chars)
            return max(weight * 0.6 * shared if shared >= 0.5 else 0.0,
                       weight * 0.55 * covered if covered >= 0.75 else 0.0)
        return 0.0
    if not words:
        return 0.0
    matches = [word_match(w) for w in words]
    found = sum(1 for m in matches if m > 0)
    if found == len(words):
        exact = all(m == 1.0 for m in matches)
        return weight * (1 + 0.15 * min(len(words), 4)) * (1.0 if exact else 0.9)
    if len(words) >= 2 and found / len(words) >= 0.5:
        return weight * 0.5 * found / len(words)
    return 0.0


class CatalogueIndex:
    """Weighted terms for every matter and life event, and the Q&A pairs for retrieval."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.docs: Dict[Tuple[str, str], List[_Term]] = {}
        for matter in catalogue.matters.values():
            terms = [_term(matter.name.zh, W_NAME), _term(matter.name.en, W_NAME)]
            terms += [_term(t, W_SYNONYM) for t in matter.synonyms.zh + matter.synonyms.en]
            for qa in matter.faq:
                terms += [_term(t, W_QUESTION) for t in qa.also.zh + qa.also.en]
            terms += [_term(m.name.zh, W_MATERIAL) for m in matter.materials]
            self.docs[("matter", matter.id)] = terms
        for event in catalogue.events.values():
            terms = [_term(event.name.zh, W_NAME), _term(event.name.en, W_NAME)]
            terms += [_term(t, W_SYNONYM) for t in event.synonyms.zh + event.synonyms.en]
            self.docs[("life_event", event.id)] = terms

    def _name(self, kind: str, doc_id: str, lang: str) -> str:
        item = self.catalogue.matters[doc_id] if kind == "matter" else self.catalogue.events[doc_id]
        return item.name(lang)

    def search(self, query: str, lang: str = "zh", limit: int = 5, min_score: float = 0.3) -> List[Hit]:
        """Best matters and life events first; an empty list when nothing fits."""
        parsed = _Query(mend(query))  # "去趟香港" is "去香港", "俺那退休金" "我那养老金": the catalogue's words
        hits: List[Hit] = []
        for (kind, doc_id), terms in self.docs.items():
            scored = sorted(((score_term(t, parsed), t.text) for t in terms), reverse=True)
            best, matched = scored[0]
            if best <= 0:
                continue
            support = sum(s for s, _ in scored[1:4] if s > 0)
            total = best + 0.15 * support
            if total >= min_score:
                hits.append(Hit(kind, doc_id, self._name(kind, doc_id, lang), total, matched))
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:limit]

    def best_answer(self, query: str, matter: Optional[str] = None, min_score: float = 0.5) -> Optional[QAHit]:
        """The catalogue question that asks what the query asks (the current matter's first).

        Questions are compared by what they are about (concepts: someone else applying, originals
        or copies, online, lost, expired...) and then by shared words, so "can my daughter do it
        for me" finds the proxy question of the matter being discussed.
        """
        wanted = concepts(query)
        parsed = _Query(query)
        best: Optional[QAHit] = None
        for matter_id, qa_list in self._qa_pairs():
            # another matter's question must fit much better to win
            penalty = 0.3 if matter in self.catalogue.matters and matter_id != matter else 0.0
            for qa in qa_list:
                texts = [qa.q.zh, qa.q.en] + qa.also.zh + qa.also.en
                theirs = set().union(*(concepts(t) for t in texts))
                shared = wanted & theirs
                concept_score = len(shared) / max(len(wanted), 1) if wanted else 0.0
                lexical = max(_question_similarity(parsed, t) for t in texts)
                score = 0.7 * concept_score + 0.5 * lexical - penalty
                if not shared and lexical < 0.75:
                    continue
                if score >= min_score and (best is None or score > best.score):
                    best = QAHit(matter_id, qa, score)
        return best

    def _qa_pairs(self) -> Iterable[Tuple[str, List[QA]]]:
        return ((m.id, m.faq) for m in self.catalogue.matters.values())


#: What a question is about, recognised by words in either language.
CONCEPTS: Dict[str, Tuple[str, ...]] = {
    "proxy": ("代办", "代领", "代为", "帮我", "帮忙", "替我", "委托", "别人", "家人", "家属", "子女", "儿子",
              "女儿", "老伴", "孩子帮", "爷爷", "奶奶", "老人帮", "someone else", "family member",
              "for me", "on my behalf", "my son", "my daughter", "my wife", "my husband", "instead",
              "grandma", "grandparents", "agent", "power of attorney", "mother apply", "do it for me"),
    "original": ("原件", "复印件", "复印", "original", "copies", "copy", "photocop"),
    "online": ("网上", "手机", "app", "online", "smartphone", "phone", "在线", "不会用"),
    "lost": ("丢", "掉了", "被偷", "补领", "补办", "lost", "stolen", "missing", "replace"),
    "expired": ("过期", "到期", "超期", "expire", "out of date", "renew"),
    "housebound": ("卧床", "行动不便", "走不动", "上门", "起不来", "bedridden", "housebound", "cannot walk",
                   "can't walk", "home visit", "come to my home"),
    "nonlocal": ("外地", "异地", "不是本地", "户口不在", "外省", "not from here", "elsewhere", "non local",
                 "another province", "other provinces", "not local"),
    "money": ("多少钱", "补贴", "津贴", "额度", "能提多少", "how much money", "subsid", "allowance amount",
              "how much can"),
    "frequency": ("多久一次", "每年", "一年一次", "how often", "every year"),
    "deadline": ("超过", "错过", "没报", "missed", "deadline", "too late"),
    "stopped": ("停发", "没到账", "停了", "stopped", "did not arrive", "suspended"),
    "refund_time": ("多久到账", "什么时候到", "when will i get", "how long does the tax refund"),
}


_ZH_FUNCTION = re.compile("怎么办|怎么|什么|可以|需要|能不能|一下|请问|吗|呢|吧|啊|了|的|我|要|能|去|办")


def _question_similarity(query: _Query, text: str) -> float:
    """Overlap of Chinese bigrams (function words removed) or English content words."""
    cjk = _ZH_FUNCTION.sub("", cjk_text(text))
    mine = _ZH_FUNCTION.sub("", query.cjk)
    if cjk and mine:
        theirs, ours = bigrams(cjk), bigrams(mine)
        shared = len(theirs & ours)
        return shared / max(1, min(len(theirs), len(ours))) * (0.5 + 0.5 * shared / max(len(theirs), 1))
    words = content_words(text)
    if words and query.words and not cjk_text(text):
        found = sum(1 for w in words if _fuzzy_word(w, query.words) > 0)
        return found / max(1, min(len(words), len(query.words))) * (0.5 + 0.5 * found / len(words))
    return 0.0


def concepts(text: str) -> set:
    low = normalise(text)
    return {name for name, cues in CONCEPTS.items() if any(cue in low for cue in cues)}


@lru_cache(maxsize=1)
def get_index() -> CatalogueIndex:
    return CatalogueIndex(get_catalogue())
