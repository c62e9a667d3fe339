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

from knowledge.search import bigrams, cjk_text, content_words, query_syllables, syllables, term_score


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
                    if close != word and len(close) >= 4 and abs(len(close) - len(word)) <= 2 and close[0] == word[0]:
                        ratio = difflib.SequenceMatcher(None, word, close).ratio()
                        found[close] = max(found.get(close, 0.0), ratio)
        return found

    def scores(self, text: str) -> np.ndarray:
        cjk = cjk_text(text)
        pinyin = f" {' '.join(query_syllables(text))} " if cjk else ""
        query_bigrams = bigrams(cjk)
        matches = self._word_matches(content_words(text))
        result = np.zeros(len(self._terms), dtype=np.float32)
        for position, terms in enumerate(self._terms):
            found = sorted((_score(t, cjk, pinyin, query_bigrams, matches) for t in terms), reverse=True)
            if found and found[0] > 0:
                result[position] = found[0] + 0.15 * sum(s for s in found[1:4] if s > 0)
        return result


def _score(term: Term, cjk: str, pinyin: str, query_bigrams: set, matches: Dict[str, float]) -> float:
    return term_score(term.weight, term.cjk, term.bigrams, term.chars, term.words, cjk, query_bigrams,
                      lambda: term.pinyin in pinyin, lambda word: matches.get(word, 0.0))
