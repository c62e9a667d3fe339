"""Small decisions the dialogue makes, as pure functions (the actions and the benchmark share them).

* which rating 1-5 a feedback message gives ("打五分", "very satisfied");
* which two matters to offer when the model is unsure, combining the model's ranking with the
  catalogue search (the search knows homophones and typos the model may not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from assistant.core.topics import LIFE_EVENTS, MATTERS, topic_for
from knowledge.search import CatalogueIndex, normalise

_GUESSABLE = set(MATTERS) | set(LIFE_EVENTS)


_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_SENTIMENT = (
    (1, ("很不满意", "非常不满意", "差评", "太差", "very poor", "terrible", "awful", "very bad")),
    (2, ("不满意", "不好", "poor", "not satisfied", "bad", "unhappy", "not good")),
    (3, ("一般", "还行", "凑合", "okay", "ok", "so-so", "average", "fine")),
    (5, ("非常满意", "五星", "太好了", "非常好", "excellent", "very satisfied", "perfect", "five stars", "great")),
    (4, ("满意", "好评", "不错", "挺好", "很好", "good", "satisfied", "helpful", "thanks")),
)


def parse_rating(text: str, entity: Optional[str] = None) -> Optional[int]:
    """A rating 1-5 from a button entity, a digit, a Chinese numeral, or plain words."""
    for candidate in (entity, text):
        if candidate is None:
            continue
        match = re.search(r"(?<!\d)([1-5])(?![\d.])", str(candidate))
        if match:
            return int(match.group(1))
    match = re.search(r"([一二两三四五])\s*(分|星|颗星)", text or "")
    if match:
        return _ZH_DIGITS[match.group(1)]
    low = normalise(text)
    for score, cues in _SENTIMENT:
        if any(re.search(rf"(?<![a-z]){re.escape(c)}(?![a-z])", low) for c in cues):
            return score
    return None


@dataclass(frozen=True)
class Clarification:
    best_topic: str  # what the turn is most likely about
    candidates: List[str]  # up to two matter or life-event ids to offer as buttons
    out_of_scope: bool  # nothing in the catalogue fits: say so politely


def clarify(text: str, ranking: Sequence[Dict], index: CatalogueIndex, strong_search: float = 1.0,
            min_guess: float = 0.15) -> Clarification:
    """Decide what to offer when the classifier was not confident.

    The model's ranking is the main evidence; a strong catalogue search hit (exact name, synonym,
    homophone) is trusted over a weak model guess, because it is what the person literally typed.
    """
    ranked_items = [r for r in ranking if r.get("name") and r.get("name") != "nlu_fallback"]
    ranked = [r["name"] for r in ranked_items]
    top = ranked[0] if ranked else None
    top_confidence = float(ranked_items[0].get("confidence") or 0.0) if ranked_items else 0.0
    hits = [h for h in index.search(text, limit=3) if h.score >= strong_search]
    model_candidates = [name for name in ranked if name in _GUESSABLE]
    candidates: List[str] = []
    for name in [h.id for h in hits] + model_candidates:
        if name not in candidates:
            candidates.append(name)
    if hits:
        return Clarification(hits[0].id, candidates[:2], False)
    if top == "out_of_scope" or top is None or not candidates:
        return Clarification("out_of_scope", candidates[:2] if top != "out_of_scope" else [], True)
    if top in _GUESSABLE and top_confidence >= min_guess:
        return Clarification(top, candidates[:2], False)
    if top not in _GUESSABLE and top_confidence >= 2 * min_guess:  # e.g. a mumbled greeting
        return Clarification(topic_for(top, None, False), candidates[:2], False)
    # a weak guess outside the catalogue: offer the matters, but do not claim the turn was about one
    return Clarification("out_of_scope", candidates[:2], False)
