"""Did publishing an answer help? Per accepted FAQ candidate, how often its questions went
unanswered in the analyses before its answer was published and in those after (issue 17).

The questions of a candidate are its representative question and its examples (as people typed
them, redacted). Each stored analysis period counts its unanswered questions by text: the
``unanswered`` figure (every distinct unanswered text and its count, written by the Spark job),
or, for periods analysed before that figure existed, the examples of that period's FAQ groups.
A period that ended before the publication day counts as *before*, one that started after it as
*after*; a period that spans the day is neither (it mixes both). Counts are also given per day,
since periods differ in length.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Dict, Iterable, List, Optional, Set

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.store import AnalyticsFigure, AnalyticsPeriod, FaqCandidate, FaqDecision


def _key(text: str) -> str:
    return " ".join(str(text).lower().split())


def candidate_questions(candidate: FaqCandidate) -> Set[str]:
    examples = json.loads(candidate.examples or "[]")
    return {_key(candidate.representative), *(_key(e["text"]) for e in examples if e.get("text"))}


def period_unanswered(session: Session, period_id: int) -> Dict[str, int]:
    """Unanswered texts of one period and how often each was asked."""
    figure = session.execute(select(AnalyticsFigure.rows).where(
        AnalyticsFigure.period_id == period_id, AnalyticsFigure.name == "unanswered")).scalar()
    counts: Dict[str, int] = {}
    if figure is not None:
        for row in json.loads(figure):
            counts[_key(row["text"])] = counts.get(_key(row["text"]), 0) + int(row["count"])
        return counts
    for examples in session.execute(select(FaqCandidate.examples).where(FaqCandidate.period_id == period_id)).scalars():
        for example in json.loads(examples or "[]"):
            counts[_key(example["text"])] = counts.get(_key(example["text"]), 0) + int(example.get("count", 1))
    return counts


def _summary(periods: Iterable[AnalyticsPeriod], questions: Set[str], unanswered: Dict[int, Dict[str, int]]
             ) -> Dict[str, Any]:
    chosen = list(periods)
    count = sum(n for p in chosen for text, n in unanswered[p.id].items() if text in questions)
    days = sum((p.until - p.since).days + 1 for p in chosen)
    return {"periods": len(chosen), "days": days, "unanswered": count,
            "per_day": round(count / days, 2) if days else None}


def outcomes(session: Session, published: Dict[str, Optional[datetime]]) -> List[Dict[str, Any]]:
    """One row per accepted candidate. ``published`` maps a fingerprint to when its answer was
    first published (absent or ``None``: not yet; everything counts as *before*)."""
    periods = list(session.execute(select(AnalyticsPeriod).order_by(AnalyticsPeriod.since)).scalars())
    unanswered = {p.id: period_unanswered(session, p.id) for p in periods}
    out = []
    for decision in session.execute(select(FaqDecision).where(FaqDecision.status == "accepted")
                                    .order_by(FaqDecision.decided_at.desc())).scalars():
        candidate = session.execute(select(FaqCandidate).where(FaqCandidate.fingerprint == decision.fingerprint)
                                    .order_by(FaqCandidate.id.desc())).scalars().first()
        if candidate is None:
            continue
        questions = candidate_questions(candidate)
        when = published.get(decision.fingerprint)
        day: Optional[date] = when.date() if when else None
        before = [p for p in periods if day is None or p.until < day]
        after = [p for p in periods if day is not None and p.since > day]
        out.append({"fingerprint": decision.fingerprint, "lang": candidate.lang,
                    "representative": candidate.representative, "accepted_by": decision.decided_by,
                    "published_at": when.isoformat() + "Z" if when else None,
                    "before": _summary(before, questions, unanswered),
                    "after": _summary(after, questions, unanswered) if day is not None else None})
    return out
