"""Checking a case for someone in a chat: case number + last four phone digits, with a lockout.

Five failed checks of one case number within an hour lock that number for an hour. The count
lives in the shared key-value store (Redis with several workers), and it is kept for unknown
case numbers exactly as for known ones: the answers "wrong digits", "no such case" and "locked"
must look the same from outside, or the checker becomes a way to find valid case numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy.orm import sessionmaker

from assistant.logs import log_event
from assistant.state import KeyValueStore
from knowledge.cases import CaseView, verify_case
from knowledge.db import read

MAX_FAILURES = 5
WINDOW_SECONDS = 3600.0
LOCK_SECONDS = 3600.0


@dataclass(frozen=True)
class CheckOutcome:
    result: str  # "ok" | "mismatch" | "locked"
    case: Optional[CaseView] = None
    failures: int = 0


def _keys(case_number: str) -> tuple:
    return f"casecheck:fail:{case_number}", f"casecheck:lock:{case_number}"


def check_case(sessions: sessionmaker, store: KeyValueStore, case_number: str, phone_last4: str,
               who: str = "") -> CheckOutcome:
    failures_key, lock_key = _keys(case_number)
    if store.get(lock_key):
        log_event("case.check.locked", who=who)
        return CheckOutcome("locked")
    case = read(sessions, lambda connection: verify_case(connection, case_number, phone_last4))
    if case is not None:
        store.delete(failures_key)
        log_event("case.check.ok", who=who)
        return CheckOutcome("ok", case)
    failures = store.incr(failures_key, WINDOW_SECONDS)
    log_event("case.check.mismatch", who=who, failures=failures)
    if failures >= MAX_FAILURES:
        store.set(lock_key, "1", LOCK_SECONDS)
        store.delete(failures_key)
        return CheckOutcome("locked", failures=failures)
    return CheckOutcome("mismatch", failures=failures)
