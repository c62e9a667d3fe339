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
Each count is an upsert in one transaction, so concurrent guesses are all counted; the rows and
their purge are ``knowledge.lockout``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy.orm import sessionmaker

from assistant.logs import log_event
from knowledge import lockout
from knowledge.cases import CaseView, verify_case
from knowledge.clock import utcnow
from knowledge.db import read
from knowledge.lockout import EVERYONE, requester_key  # noqa: F401 - part of this module's API

MAX_FAILURES = 5  # per requester and case number
MAX_CASE_FAILURES = 20  # per case number, every requester together
WINDOW_SECONDS = 3600.0
LOCK_SECONDS = 3600.0
LIMITS = lockout.Limits(MAX_FAILURES, MAX_CASE_FAILURES, WINDOW_SECONDS, LOCK_SECONDS)


@dataclass(frozen=True)
class CheckOutcome:
    result: str  # "ok" | "mismatch" | "locked"
    case: Optional[CaseView] = None
    failures: int = 0  # this requester's failures in the current window


def check_case(sessions: sessionmaker, case_number: str, phone_last4: str, *, who: str) -> CheckOutcome:
    """Check ``phone_last4`` against the case, counting the failure for ``who`` (a pseudonym)."""
    requester = requester_key(who)
    now = utcnow()
    if lockout.is_locked(lockout.rows(sessions, case_number, requester), requester, now):
        log_event("case.check.locked", who=who)
        return CheckOutcome("locked")
    case = read(sessions, lambda connection: verify_case(connection, case_number, phone_last4))
    if case is not None:
        with sessions.begin() as session:
            lockout.count_pass(session, case_number, requester, now)
        lockout.purge_now_and_then(sessions, now)
        log_event("case.check.ok", who=who)
        return CheckOutcome("ok", case)
    with sessions.begin() as session:
        rows = lockout.count_failure(session, case_number, requester, now, LIMITS)
    lockout.purge_now_and_then(sessions, now)
    failures = rows[requester][0]
    log_event("case.check.mismatch", who=who, failures=failures)
    if lockout.is_locked(rows, requester, now):
        log_event("case.check.lock", who=who, everyone=lockout.locked_row(rows.get(EVERYONE), now))
        return CheckOutcome("locked", failures=failures)
    return CheckOutcome("mismatch", failures=failures)


def unlock_case(sessions: sessionmaker, case_number: str) -> int:
    """Staff: lift every lock on ``case_number`` and restart its counts; how many were locked."""
    with sessions.begin() as session:
        locked = lockout.unlock(session, case_number, utcnow())
    log_event("case.check.unlocked", locks=locked)
    return locked
