"""The catalogue search's word scoring (``knowledge/search.py``: exact, homophone, typo and fuzzy
English matches) made fast enough for hundreds of matters.

``search.score_term`` recomputes a term's bigrams and compares every English word with every
query word through difflib; over 330 matters that is about 75,000 comparisons, 0.5-3 s a question.
Here every term's pinyin, bigrams and characters are computed once, and a question's English words
are compared with the vocabulary once (difflib's ``get_close_matches``, which skips most pairs with
its quick bounds), so scoring all matters is a few milliseconds. The scores follow
``score_term``'s rules and weights.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Sequence, Tuple

import numpy as np

from knowledge.search import bigrams, cjk_text, content_words, syllables


@dataclass(frozen=True)
class Term:
    weight: float
    cjk: str
    pinyin: str  # " a b c " for substring tests of whole syllables
    bigrams: FrozenSet[str]
    chars: FrozenSet[str]
    words: Tuple[str, ...]


def make_term(text: str, weight: float) -> Term:
    cjk = cjk_text(text)
    return Term(weight=weight, cjk=cjk, pinyin=f" {' '.join(syllables(cjk))} " if cjk else "",
                bigrams=frozenset(bigrams(cjk)), chars=frozenset(cjk),
                words=tuple(content_words(text)) if not cjk else ())


class Lexicon:
    """Terms of every matter; :meth:`scores` is the best-term score (plus support) per matter."""

    def __init__(self, terms_per_matter: Sequence[Sequence[Tuple[str, float]]]) -> None:
        self._terms: List[List[Term]] = [[make_term(t, w) for t, w in terms if t] for terms in terms_per_matter]
        self._vocabulary = sorted({w for terms in self._terms for t in terms for w in t.words})

    def _word_matches(self, words: Sequence[str]) -> Dict[str, float]:
        """Vocabulary word -> how well some query word matches it (1.0 exact, ~0.8-0.95 a typo)."""
        found: Dict[str, float] = {}
        for word in set(words):
            found[word] = 1.0
            if len(word) >= 4:
                for close in difflib.get_close_matches(word, self._vocabulary, n=5, cutoff=0.8):
                    if close != word and len(close) >= 4 and abs(len(close) - len(word)) <= 2:
                        ratio = difflib.SequenceMatcher(None, word, close).ratio()
                        found[close] = max(found.get(close, 0.0), ratio)
        return found

    def scores(self, text: str) -> np.ndarray:
        cjk = cjk_text(text)
        pinyin = f" {' '.join(syllables(cjk))} " if cjk else ""
        query_bigrams = bigrams(cjk)
        matches = self._word_matches(content_words(text))
        result = np.zeros(len(self._terms), dtype=np.float32)
        for position, terms in enumerate(self._terms):
            found = sorted((_score(t, cjk, pinyin, query_bigrams, matches) for t in terms), reverse=True)
            if found and found[0] > 0:
                result[position] = found[0] + 0.15 * sum(s for s in found[1:4] if s > 0)
        return result


def _score(term: Term, cjk: str, pinyin: str, query_bigrams: set, matches: Dict[str, float]) -> float:
    if term.cjk:
        if not cjk:
            return 0.0
        length_bonus = 1 + 0.08 * min(len(term.cjk), 6)
        if term.cjk in cjk:
            return term.weight * length_bonus
        if len(term.cjk) >= 2 and term.pinyin in pinyin:
            return term.weight * 0.9 * length_bonus
        if len(cjk) >= 2 and cjk in term.cjk:
            return term.weight * 0.75 * len(cjk) / len(term.cjk)
        if len(term.cjk) >= 3:
            shared = len(term.bigrams & query_bigrams) / len(term.bigrams)
            covered = sum(1 for ch in term.chars if ch in cjk) / len(term.chars)
            return max(term.weight * 0.6 * shared if shared >= 0.5 else 0.0,
                       term.weight * 0.55 * covered if covered >= 0.75 else 0.0)
        return 0.0
    if not term.words or not matches:
        return 0.0
    values = [matches.get(w, 0.0) for w in term.words]
    found = sum(1 for v in values if v > 0)
    if found == len(term.words):
        exact = all(v == 1.0 for v in values)
        return term.weight * (1 + 0.15 * min(len(term.words), 4)) * (1.0 if exact else 0.9)
    if len(term.words) >= 2 and found / len(term.words) >= 0.5:
        return term.weight * 0.5 * found / len(term.words)
    return 0.0
