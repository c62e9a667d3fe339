"""Analytics results in the database, for the staff dashboard.

A run of the job for a period (``since``..``until``) replaces everything stored for exactly that
period in one transaction, so running it twice gives the same tables (idempotent) and the
dashboard never sees half a run. Each figure is stored as its rows in JSON (they are small:
the job already aggregated them); FAQ groups get their own rows because staff act on them.
Staff decisions on FAQ groups live apart, keyed by the group's fingerprint, so they survive the
re-runs that replace the groups.

These tables hold derived data (rebuildable from the Parquet logs at any time), so they are
created on demand with ``create_all`` rather than through the shared data migrations.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Dict, List, Optional

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.db import Base

DECISIONS = ("accepted", "dismissed")


class AnalyticsPeriod(Base):
    __tablename__ = "analytics_periods"
    __table_args__ = (UniqueConstraint("since", "until", name="uq_analytics_period"),)

    id = Column(Integer, primary_key=True)
    since = Column(Date, nullable=False)
    until = Column(Date, nullable=False)
    events = Column(Integer, nullable=False, default=0)
    conversations = Column(Integer, nullable=False, default=0)
    source = Column(String(500), nullable=False, default="")
    computed_at = Column(DateTime, nullable=False)
    seconds = Column(Integer, nullable=False, default=0)


class AnalyticsFigure(Base):
    __tablename__ = "analytics_figures"
    __table_args__ = (UniqueConstraint("period_id", "name", name="uq_analytics_figure"),)

    id = Column(Integer, primary_key=True)
    period_id = Column(Integer, ForeignKey("analytics_periods.id", ondelete="CASCADE"), nullable=False, index=True)
    name = Column(String(40), nullable=False)
    rows = Column(Text, nullable=False, default="[]")  # JSON list of row objects


class FaqCandidate(Base):
    __tablename__ = "analytics_faq_candidates"

    id = Column(Integer, primary_key=True)
    period_id = Column(Integer, ForeignKey("analytics_periods.id", ondelete="CASCADE"), nullable=False, index=True)
    fingerprint = Column(String(16), nullable=False, index=True)
    lang = Column(String(8), nullable=False)
    size = Column(Integer, nullable=False)
    distinct = Column(Integer, nullable=False)
    fallbacks = Column(Integer, nullable=False, default=0)
    representative = Column(Text, nullable=False)
    examples = Column(Text, nullable=False, default="[]")  # JSON [{"text", "count"}]


class FaqDecision(Base):
    __tablename__ = "analytics_faq_decisions"

    fingerprint = Column(String(16), primary_key=True)
    status = Column(String(16), nullable=False)  # accepted | dismissed
    decided_by = Column(String(64), nullable=False)
    decided_at = Column(DateTime, nullable=False)
    draft_path = Column(String(300), nullable=True)


TABLES = [AnalyticsPeriod.__table__, AnalyticsFigure.__table__, FaqCandidate.__table__, FaqDecision.__table__]


def ensure_tables(engine: Engine) -> None:
    Base.metadata.create_all(engine, tables=TABLES, checkfirst=True)


def _json(rows: Any) -> str:
    def default(value: Any) -> Any:
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return float(value) if hasattr(value, "__float__") else str(value)

    return json.dumps(rows, ensure_ascii=False, default=default)


def save_period(session: Session, since: date, until: date, figures: Dict[str, List[dict]],
                groups: List[dict], events: int, conversations: int, source: str, seconds: float) -> int:
    """Replace the stored results of ``since..until`` (call inside ``sessions.begin()``)."""
    old = session.execute(select(AnalyticsPeriod.id).where(
        AnalyticsPeriod.since == since, AnalyticsPeriod.until == until)).scalars().all()
    if old:
        session.execute(delete(AnalyticsFigure).where(AnalyticsFigure.period_id.in_(old)))
        session.execute(delete(FaqCandidate).where(FaqCandidate.period_id.in_(old)))
        session.execute(delete(AnalyticsPeriod).where(AnalyticsPeriod.id.in_(old)))
        session.flush()
    period = AnalyticsPeriod(since=since, until=until, events=events, conversations=conversations,
                             source=source[:500], computed_at=datetime.utcnow(), seconds=int(seconds))
    session.add(period)
    session.flush()
    session.add_all(AnalyticsFigure(period_id=period.id, name=name, rows=_json(rows)) for name, rows in figures.items())
    session.add_all(
        FaqCandidate(period_id=period.id, fingerprint=g["fingerprint"], lang=g["lang"], size=g["size"],
                     distinct=g["distinct"], fallbacks=g.get("fallbacks", 0),
                     representative=g["representative"], examples=_json(g["examples"]))
        for g in groups
    )
    return period.id


def periods(session: Session) -> List[AnalyticsPeriod]:
    return list(session.execute(select(AnalyticsPeriod).order_by(
        AnalyticsPeriod.computed_at.desc(), AnalyticsPeriod.id.desc())).scalars())


def period(session: Session, period_id: Optional[int] = None) -> Optional[AnalyticsPeriod]:
    """The given period, or the most recently computed one."""
    if period_id is not None:
        return session.get(AnalyticsPeriod, period_id)
    found = periods(session)
    return found[0] if found else None


def figures(session: Session, period_id: int) -> Dict[str, List[dict]]:
    rows = session.execute(select(AnalyticsFigure).where(AnalyticsFigure.period_id == period_id)).scalars()
    return {f.name: json.loads(f.rows) for f in rows}


def faq_candidates(session: Session, period_id: int, include_decided: bool = False) -> List[dict]:
    decided = {d.fingerprint: d for d in session.execute(select(FaqDecision)).scalars()}
    out = []
    for c in session.execute(select(FaqCandidate).where(FaqCandidate.period_id == period_id)
                             .order_by(FaqCandidate.size.desc(), FaqCandidate.id)).scalars():
        decision = decided.get(c.fingerprint)
        if decision is not None and not include_decided:
            continue
        out.append({"id": c.id, "fingerprint": c.fingerprint, "lang": c.lang, "size": c.size,
                    "distinct": c.distinct, "fallbacks": c.fallbacks, "representative": c.representative,
                    "examples": json.loads(c.examples), "status": decision.status if decision else "new"})
    return out


def decide(session: Session, fingerprint: str, status: str, user: str, draft_path: Optional[str] = None) -> None:
    if status not in DECISIONS:
        raise ValueError(f"status must be one of {DECISIONS}")
    existing = session.get(FaqDecision, fingerprint)
    if existing is None:
        session.add(FaqDecision(fingerprint=fingerprint, status=status, decided_by=user,
                                decided_at=datetime.utcnow(), draft_path=draft_path))
    else:
        existing.status, existing.decided_by, existing.decided_at = status, user, datetime.utcnow()
        existing.draft_path = draft_path or existing.draft_path
