"""How much of a follow-up's own wording a catalogue question shares, weighted by how rare each
word is among the catalogue's questions.

e5 puts every short text about one matter close together: "坐公交免费不" scores 1.866 against the
fee answer and 1.857 against "老年卡坐公交免费吗?". The words settle it ("坐公交" is in one of them
only), so the answer ranker adds this share to the embedding scores. Chinese is compared by
character pairs (no segmenter needed, and "激活" meets "激活" whatever surrounds it), English and
Latin letters inside Chinese by word stems. Words every question has ("能", "吗", "how", "can")
weigh almost nothing because of the rarity weights, so no list of stop words is kept.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    for end in ("ing", "ed", "es", "s"):
        if len(word) > len(end) + 2 and word.endswith(end):
            return word[: -len(end)]
    return word


@lru_cache(maxsize=8192)
def units(text: str) -> FrozenSet[str]:
    """The character pairs of the Chinese and the stems of the Latin words in ``text``."""
    low = unicodedata.normalize("NFKC", text).lower()
    out = set()
    for run in _CJK_RUN.findall(low):
        out.update(run[i:i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.add(run)
    out.update(_stem(w) for w in _LATIN.findall(low) if len(w) > 1)
    return frozenset(out)


class Overlap:
    """Rarity weights learnt from a body of questions; the weighted share of a query's units that a
    question has."""

    def __init__(self, questions: Iterable[str]) -> None:
        docs = [units(q) for q in questions]
        counts: Counter = Counter(u for d in docs for u in d)
        n = max(len(docs), 1)
        self._idf: Dict[str, float] = {u: math.log((n + 1) / (c + 0.5)) for u, c in counts.items()}
        self._unseen = math.log((n + 1) / 0.5)

    def share(self, query: FrozenSet[str], question: FrozenSet[str]) -> float:
        """0..1: how much of the query (by weight) the question also says. Units no question has
        ("wife", "烤串") weigh most: left out, "can my wife go instead" would be all "can my" and
        meet "Can I help my parents...?" in full."""
        total = sum(self._idf.get(u, self._unseen) for u in query)
        if not total:
            return 0.0
        return sum(self._idf.get(u, 0.0) for u in query & question) / total
