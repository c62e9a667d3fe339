"""Cancelling a booking by its code, without letting anyone try codes until one works (issue 15).

A booking code is the only thing needed to cancel a booking, so it is a secret that can be
guessed. Failed cancels (an unknown, cancelled or past code) are counted like failed case checks
(``knowledge.lockout``, in the database, where no cache eviction drops a lock and every action
server shares the count):

* **per conversation**: :data:`MAX_FAILURES` wrong codes within an hour stop that conversation
  cancelling by code for an hour;
* **every conversation together**: :data:`MAX_ALL_FAILURES` within an hour stop it for everyone,
  so fresh conversation ids buy no more guesses (the subject guessed is the code space, not one
  code: a guesser tries each code once, so a count per code would never reach any limit).

The conversation that made a booking can always cancel it (``Booking.sender_ref`` is its
pseudonym): a stranger's flood never takes that away. Anyone else is told, politely, to try again
later or use the hotline or the hall. "Locked", "unknown" and "wrong" reveal nothing about which
codes exist: a locked requester gets the same answer whatever code it sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import and_, select
from sqlalchemy.orm import sessionmaker

from assistant.logs import log_event
from knowledge import appointments, lockout
from knowledge.appointments import BookingView
from knowledge.clock import utcnow
from knowledge.db import read
from knowledge.models import Booking

SUBJECT = "booking:cancel"  # the ":" keeps it apart from every case number
MAX_FAILURES = 5  # wrong codes per conversation and hour
MAX_ALL_FAILURES = 100  # wrong codes from every conversation together, per hour
LIMITS = lockout.Limits(MAX_FAILURES, MAX_ALL_FAILURES)


@dataclass(frozen=True)
class CancelOutcome:
    result: str  # "cancelled" | "not_found" | "locked"
    booking: Optional[BookingView] = None
    failures: int = 0  # this conversation's wrong codes in the current window


def booked_by(sessions: sessionmaker, code: str, who: str) -> bool:
    """Whether ``who`` (the pseudonym the booking was made under) holds the active booking ``code``."""
    if not who:
        return False

    def work(connection) -> bool:  # type: ignore[no-untyped-def]
        found = connection.execute(select(Booking.id).where(and_(
            Booking.code == appointments.normalise_code(code), Booking.status == "booked",
            Booking.sender_ref == who[:32]))).first()
        return found is not None

    return read(sessions, work)


def cancel_by_code(sessions: sessionmaker, code: str, *, who: str) -> CancelOutcome:
    """Cancel the booking ``code`` for ``who`` (a conversation's pseudonym), counting a wrong code."""
    requester = lockout.requester_key(who)
    now = utcnow()
    owner = booked_by(sessions, code, who)
    if not owner and lockout.is_locked(lockout.rows(sessions, SUBJECT, requester), requester, now):
        log_event("appointment.cancel.locked", who=who)
        return CancelOutcome("locked")
    cancelled = appointments.cancel(sessions, code)
    if cancelled is not None:
        return CancelOutcome("cancelled", cancelled)
    with sessions.begin() as session:
        rows = lockout.count_failure(session, SUBJECT, requester, now, LIMITS)
    lockout.purge_now_and_then(sessions, now)
    failures = rows[requester][0]
    log_event("appointment.cancel.not_found", who=who, failures=failures)
    if lockout.is_locked(rows, requester, now):
        log_event("appointment.cancel.lock", who=who, everyone=lockout.locked_row(rows.get(lockout.EVERYONE), now))
        return CancelOutcome("locked", failures=failures)
    return CancelOutcome("not_found", failures=failures)
