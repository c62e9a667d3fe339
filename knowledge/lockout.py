"""Failed guesses counted per subject in the database, with a lock per requester and one for
everyone: the machinery behind the case check (``knowledge.case_check``) and cancelling a booking
by its code (``knowledge.booking_guard``).

Why the database (table ``case_checks``) and not Redis or memory: a lock must outlive a cache
eviction (issue 15: five TTS requests evicted a lockout from Redis) and be shared by every
action-server and gateway process, with or without Redis. The table's ``case_number`` column
holds the subject: a case number, or a name with a ``:`` (``booking:*``), which no case number
contains (``knowledge.identifiers``), so subjects of different kinds never meet.

* **Per requester** (a pseudonymous conversation id): ``per_requester`` failures within the
  window lock the subject for that requester for ``lock_seconds``.
* **Everyone together** (requester ``*``): ``everyone`` failures within the window lock it for
  every requester not trusted (one who once passed, ``verified_at``), so fresh conversation ids
  buy no more guesses.

Each count is an upsert in one transaction, so concurrent guesses are all counted. Rows whose
window and lock are over say nothing a missing row would not, so they are deleted on write, at
most every few minutes per process (:func:`purge_now_and_then`); a requester who passed keeps
its trust for :data:`TRUST_SECONDS` (the owner's way past a stranger's flood), then it goes too.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Dict, Optional, Tuple

from sqlalchemy import and_, delete, or_, select, tuple_, update
from sqlalchemy import case as when
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from assistant.logs import log_event
from knowledge.db import read
from knowledge.models import CaseCheck

EVERYONE = "*"
#: How long passing a check keeps a requester trusted (then the row is purged).
TRUST_SECONDS = 30 * 24 * 3600.0
#: The longest window or lock of any user of this module: older rows are purged.
STALE_SECONDS = 3600.0
PURGE_EVERY_SECONDS = 300.0
PURGE_BATCH = 1000
_TABLE = CaseCheck.__table__

Row = Tuple[int, Optional[datetime], Optional[datetime]]  # failures, locked_until, verified_at


@dataclass(frozen=True)
class Limits:
    """Failures allowed within ``window_seconds`` before a lock of ``lock_seconds``."""

    per_requester: int
    everyone: int
    window_seconds: float = 3600.0
    lock_seconds: float = 3600.0

    def __post_init__(self) -> None:
        if self.per_requester < 1 or self.everyone < 1:
            raise ValueError(f"limits must be >= 1, got {self.per_requester}/{self.everyone}")
        if max(self.window_seconds, self.lock_seconds) > STALE_SECONDS:
            raise ValueError(f"window and lock must be <= {STALE_SECONDS} s (rows older are purged)")


def requester_key(who: str) -> str:
    """The requester column: the pseudonym as given, hashed when it is longer than the column;
    never ``*``, which names the every-requester row."""
    who = who or "anonymous"
    if len(who) > 64 or who == EVERYONE:
        return hashlib.sha256(who.encode()).hexdigest()[:32]
    return who


def rows(sessions: sessionmaker, subject: str, requester: str) -> Dict[str, Row]:
    """The requester's row and the everyone row of ``subject`` (those that exist)."""

    def work(connection: Connection) -> Dict[str, Row]:
        found = connection.execute(
            select(_TABLE.c.requester, _TABLE.c.failures, _TABLE.c.locked_until, _TABLE.c.verified_at)
            .where(_TABLE.c.case_number == subject, _TABLE.c.requester.in_((requester, EVERYONE))))
        return {r.requester: (r.failures, r.locked_until, r.verified_at) for r in found}

    return read(sessions, work)


def locked_row(row: Optional[Row], now: datetime) -> bool:
    return row is not None and row[1] is not None and row[1] > now


def is_locked(found: Dict[str, Row], requester: str, now: datetime) -> bool:
    mine = found.get(requester)
    if locked_row(mine, now):
        return True
    trusted = mine is not None and mine[2] is not None
    return locked_row(found.get(EVERYONE), now) and not trusted


def _insert(session: Session):  # type: ignore[no-untyped-def]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(_TABLE)


def _count_one(session: Session, subject: str, requester: str, now: datetime, window: float) -> None:
    """failures + 1 in the current window, or 1 in a new window (one atomic upsert)."""
    cutoff = now - timedelta(seconds=window)
    statement = _insert(session).values(case_number=subject, requester=requester, failures=1,
                                        window_started=now)
    stale = _TABLE.c.window_started <= cutoff
    session.execute(statement.on_conflict_do_update(
        index_elements=[_TABLE.c.case_number, _TABLE.c.requester],
        set_={"failures": when((stale, 1), else_=_TABLE.c.failures + 1),
              "window_started": when((stale, now), else_=_TABLE.c.window_started)}))


def count_failure(session: Session, subject: str, requester: str, now: datetime, limits: Limits) -> Dict[str, Row]:
    """Count one failure for the requester and for everyone; lock whichever reached its limit."""
    for who in (requester, EVERYONE):  # always this order: concurrent upserts cannot deadlock
        _count_one(session, subject, who, now, limits.window_seconds)
    found = session.execute(
        select(CaseCheck.requester, CaseCheck.failures, CaseCheck.locked_until, CaseCheck.verified_at)
        .where(CaseCheck.case_number == subject, CaseCheck.requester.in_((requester, EVERYONE))))
    current = {r.requester: (r.failures, r.locked_until, r.verified_at) for r in found}
    until = now + timedelta(seconds=limits.lock_seconds)
    for who, limit in ((requester, limits.per_requester), (EVERYONE, limits.everyone)):
        failures, _, verified = current[who]
        if failures >= limit:  # locked now; the next window starts when the lock ends
            session.execute(update(CaseCheck).where(and_(
                CaseCheck.case_number == subject, CaseCheck.requester == who,
            )).values(locked_until=until, failures=0, window_started=until))
            current[who] = (failures, until, verified)
    return current


def count_pass(session: Session, subject: str, requester: str, now: datetime) -> None:
    """The requester's own count restarts and they are remembered as having passed (the shared
    count stays: the owner passing says nothing about the strangers guessing)."""
    statement = _insert(session).values(case_number=subject, requester=requester, failures=0,
                                        window_started=now, verified_at=now)
    session.execute(statement.on_conflict_do_update(
        index_elements=[_TABLE.c.case_number, _TABLE.c.requester],
        set_={"failures": 0, "window_started": now, "locked_until": None, "verified_at": now}))


def unlock(session: Session, subject: str, now: datetime) -> int:
    """Lift every lock on ``subject`` and restart its counts; how many were locked."""
    locked = session.execute(
        select(CaseCheck.requester).where(CaseCheck.case_number == subject,
                                          CaseCheck.locked_until > now)).scalars().all()
    session.execute(update(CaseCheck).where(CaseCheck.case_number == subject)
                    .values(failures=0, locked_until=None, window_started=now))
    return len(locked)


# --- purging -------------------------------------------------------------------------------------

def purge_stale(sessions: sessionmaker, now: datetime, batch: int = PURGE_BATCH) -> int:
    """Delete up to ``batch`` rows that no longer count (window and lock over, and no trust
    younger than :data:`TRUST_SECONDS`); how many went.

    On PostgreSQL the rows are picked ``FOR UPDATE SKIP LOCKED``: the purge never waits for a row
    a concurrent check holds, so it cannot deadlock with one (or slow it down).
    """
    cutoff = now - timedelta(seconds=STALE_SECONDS)
    trust_cutoff = now - timedelta(seconds=TRUST_SECONDS)
    c = _TABLE.c
    stale = (select(c.case_number, c.requester)
             .where(c.window_started <= cutoff,
                    or_(c.locked_until.is_(None), c.locked_until <= now),
                    or_(c.verified_at.is_(None), c.verified_at <= trust_cutoff))
             .limit(batch).with_for_update(skip_locked=True))
    with sessions.begin() as session:
        gone = session.execute(delete(_TABLE).where(tuple_(c.case_number, c.requester).in_(stale))
                               .execution_options(synchronize_session=False)).rowcount
    return int(gone or 0)


class _Every:
    """True at most once per ``seconds`` in this process (the first call included)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._next = 0.0
        self._lock = threading.Lock()

    def due(self) -> bool:
        now = time.monotonic()
        with self._lock:
            if now < self._next:
                return False
            self._next = now + self.seconds
            return True


PURGE_CLOCK = _Every(PURGE_EVERY_SECONDS)


def purge_now_and_then(sessions: sessionmaker, now: datetime) -> None:
    """Called after a check's write: one bounded purge every few minutes per process. A failed
    purge costs nothing but its rows' space until the next one, so it never fails the check."""
    if not PURGE_CLOCK.due():
        return
    try:
        gone = purge_stale(sessions, now)
    except SQLAlchemyError as err:
        log_event("lockout.purge.failed", error=type(err).__name__)
        return
    if gone:
        log_event("lockout.purge", rows=gone)
