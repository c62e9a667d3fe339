"""Checking a case for someone: case number + last four phone digits, with a lockout. The one
path to case data for every channel (chat form, WeChat "notify me", kiosk).

Two counters, both in the database (a cache under an eviction policy could drop a lock):

* **Per requester** (a pseudonymous conversation id): five failed checks of one case number
  within an hour lock that number *for that requester* for an hour. A stranger's guesses never
  lock the real owner out.
* **Per case number, every requester together**: twenty failures within an hour lock the number
  for everyone who has not passed its check before, so fresh conversation ids do not buy more
  guesses (20 of 10,000 an hour at most). A requester who once passed the check (the owner on the
  same phone or WeChat account) is not held by it; anyone else has a way back at the hall, where
  staff can unlock the number (:func:`unlock_case`, ``POST /staff/api/cases/{number}/unlock``).

Counts are kept for unknown case numbers exactly as for known ones: "wrong digits", "no such
case" and "locked" look the same from outside, or the checker would find valid case numbers.
Each count is an upsert in one transaction, so concurrent guesses are all counted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Dict, Optional, Tuple

from sqlalchemy import and_, select, update
from sqlalchemy import case as when
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from assistant.logs import log_event
from knowledge.cases import CaseView, verify_case
from knowledge.clock import utcnow
from knowledge.db import read
from knowledge.models import CaseCheck

MAX_FAILURES = 5  # per requester and case number
MAX_CASE_FAILURES = 20  # per case number, every requester together
WINDOW_SECONDS = 3600.0
LOCK_SECONDS = 3600.0
EVERYONE = "*"
_TABLE = CaseCheck.__table__


@dataclass(frozen=True)
class CheckOutcome:
    result: str  # "ok" | "mismatch" | "locked"
    case: Optional[CaseView] = None
    failures: int = 0  # this requester's failures in the current window


def requester_key(who: str) -> str:
    """The requester column: the pseudonym as given, hashed when it is longer than the column;
    never ``*``, which names the every-requester row."""
    who = who or "anonymous"
    if len(who) > 64 or who == EVERYONE:
        return hashlib.sha256(who.encode()).hexdigest()[:32]
    return who


def check_case(sessions: sessionmaker, case_number: str, phone_last4: str, *, who: str) -> CheckOutcome:
    """Check ``phone_last4`` against the case, counting the failure for ``who`` (a pseudonym)."""
    requester = requester_key(who)
    now = utcnow()
    if _is_locked(_rows(sessions, case_number, requester), requester, now):
        log_event("case.check.locked", who=who)
        return CheckOutcome("locked")
    case = read(sessions, lambda connection: verify_case(connection, case_number, phone_last4))
    if case is not None:
        with sessions.begin() as session:
            _passed(session, case_number, requester, now)
        log_event("case.check.ok", who=who)
        return CheckOutcome("ok", case)
    with sessions.begin() as session:
        rows = _failed(session, case_number, requester, now)
    failures = rows[requester][0]
    log_event("case.check.mismatch", who=who, failures=failures)
    if _is_locked(rows, requester, now):
        log_event("case.check.lock", who=who, everyone=_locked_row(rows.get(EVERYONE), now))
        return CheckOutcome("locked", failures=failures)
    return CheckOutcome("mismatch", failures=failures)


def unlock_case(sessions: sessionmaker, case_number: str) -> int:
    """Staff: lift every lock on ``case_number`` and restart its counts; how many were locked."""
    now = utcnow()
    with sessions.begin() as session:
        locked = session.execute(
            select(CaseCheck.requester).where(CaseCheck.case_number == case_number,
                                              CaseCheck.locked_until > now)).scalars().all()
        session.execute(update(CaseCheck).where(CaseCheck.case_number == case_number)
                        .values(failures=0, locked_until=None, window_started=now))
    log_event("case.check.unlocked", locks=len(locked))
    return len(locked)


# --- rows ----------------------------------------------------------------------------------------

Row = Tuple[int, Optional[datetime], Optional[datetime]]  # failures, locked_until, verified_at


def _rows(sessions: sessionmaker, case_number: str, requester: str) -> Dict[str, Row]:
    def work(connection: Connection) -> Dict[str, Row]:
        found = connection.execute(
            select(_TABLE.c.requester, _TABLE.c.failures, _TABLE.c.locked_until, _TABLE.c.verified_at)
            .where(_TABLE.c.case_number == case_number, _TABLE.c.requester.in_((requester, EVERYONE))))
        return {r.requester: (r.failures, r.locked_until, r.verified_at) for r in found}

    return read(sessions, work)


def _locked_row(row: Optional[Row], now: datetime) -> bool:
    return row is not None and row[1] is not None and row[1] > now


def _is_locked(rows: Dict[str, Row], requester: str, now: datetime) -> bool:
    mine = rows.get(requester)
    if _locked_row(mine, now):
        return True
    trusted = mine is not None and mine[2] is not None
    return _locked_row(rows.get(EVERYONE), now) and not trusted


def _insert(session: Session):  # type: ignore[no-untyped-def]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(_TABLE)


def _count_failure(session: Session, case_number: str, requester: str, now: datetime) -> None:
    """failures + 1 in the current window, or 1 in a new window (one atomic upsert)."""
    cutoff = now - timedelta(seconds=WINDOW_SECONDS)
    statement = _insert(session).values(case_number=case_number, requester=requester, failures=1,
                                        window_started=now)
    stale = _TABLE.c.window_started <= cutoff
    session.execute(statement.on_conflict_do_update(
        index_elements=[_TABLE.c.case_number, _TABLE.c.requester],
        set_={"failures": when((stale, 1), else_=_TABLE.c.failures + 1),
              "window_started": when((stale, now), else_=_TABLE.c.window_started)}))


def _failed(session: Session, case_number: str, requester: str, now: datetime) -> Dict[str, Row]:
    """Count one failure for the requester and for everyone; lock whichever reached its limit."""
    for who in (requester, EVERYONE):  # always this order: concurrent upserts cannot deadlock
        _count_failure(session, case_number, requester=who, now=now)
    found = session.execute(
        select(CaseCheck.requester, CaseCheck.failures, CaseCheck.locked_until, CaseCheck.verified_at)
        .where(CaseCheck.case_number == case_number, CaseCheck.requester.in_((requester, EVERYONE))))
    rows = {r.requester: (r.failures, r.locked_until, r.verified_at) for r in found}
    until = now + timedelta(seconds=LOCK_SECONDS)
    for who, limit in ((requester, MAX_FAILURES), (EVERYONE, MAX_CASE_FAILURES)):
        failures, _, verified = rows[who]
        if failures >= limit:  # locked now; the next window starts when the lock ends
            session.execute(update(CaseCheck).where(and_(
                CaseCheck.case_number == case_number, CaseCheck.requester == who,
            )).values(locked_until=until, failures=0, window_started=until))
            rows[who] = (failures, until, verified)
    return rows


def _passed(session: Session, case_number: str, requester: str, now: datetime) -> None:
    """The requester's own count restarts and they are remembered as having passed (the shared
    count stays: the owner passing says nothing about the strangers guessing)."""
    statement = _insert(session).values(case_number=case_number, requester=requester, failures=0,
                                        window_started=now, verified_at=now)
    session.execute(statement.on_conflict_do_update(
        index_elements=[_TABLE.c.case_number, _TABLE.c.requester],
        set_={"failures": 0, "window_started": now, "locked_until": None, "verified_at": now}))
