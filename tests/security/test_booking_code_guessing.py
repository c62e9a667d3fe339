"""Guessing booking codes to cancel other people's bookings (issue 15): wrong codes are counted
per conversation and for everyone together, in the database (``knowledge.booking_guard``); past
the limit the answer is a polite "not now, here is what you can do" in the person's language,
while the conversation that booked can still cancel its own booking. On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import data_access
from actions.appointments import ActionCancelAppointment
from assistant.logs import pseudonym
from knowledge import appointments, booking_guard, lockout
from knowledge.clock import utcnow
from knowledge.replies import BOOKING_CODE_LOCKED
from tests.data.conftest import data_sqlite_url, db_url, engine, sessions  # noqa: F401
from tests.data.test_appointments import far_future_start, make_slot


def wrong_code(i: int) -> str:
    """A well-formed code no booking has (the alphabet has no 0, O, 1, I or L; these use 2-9 only)."""
    return appointments.CODE_PREFIX + "".join("23456789"[int(d) % 8] for d in f"{i:06d}")


@pytest.fixture()
def clean(sessions):  # type: ignore[no-untyped-def]  # noqa: F811
    """No lock on cancelling left over from another test on this database, before or after."""
    def lift() -> None:
        with sessions.begin() as session:
            lockout.unlock(session, booking_guard.SUBJECT, utcnow())

    lift()
    yield sessions
    lift()


def a_booking(db, seed: int, owner: str) -> str:  # type: ignore[no-untyped-def]
    slot = make_slot(db, far_future_start(seed), capacity=2)
    return appointments.book(db, slot, "passport", sender_ref=owner, channel="web").code


def still_booked(db, code: str) -> bool:  # type: ignore[no-untyped-def]
    with db() as session:
        return appointments.find_booking(session, code).status == "booked"


def test_a_conversation_cannot_try_codes_without_bound(clean) -> None:
    db, stranger, owner = clean, f"stranger-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:16]
    code = a_booking(db, 31, owner)
    results = [booking_guard.cancel_by_code(db, wrong_code(i), who=stranger).result
               for i in range(booking_guard.MAX_FAILURES)]
    assert results == ["not_found"] * (booking_guard.MAX_FAILURES - 1) + ["locked"]
    assert booking_guard.cancel_by_code(db, code, who=stranger).result == "locked"
    assert still_booked(db, code)  # the right code, after the limit, cancels nothing
    other = booking_guard.cancel_by_code(db, wrong_code(99), who=f"someone-{uuid.uuid4().hex[:8]}")
    assert other.result == "not_found"  # one conversation's lock is its own
    mine = booking_guard.cancel_by_code(db, code, who=owner)
    assert mine.result == "cancelled" and mine.booking is not None and mine.booking.code == code


def test_fresh_conversations_buy_no_more_guesses_and_the_owner_can_still_cancel(clean) -> None:
    db, owner = clean, uuid.uuid4().hex[:16]
    code = a_booking(db, 32, owner)
    for i in range(booking_guard.MAX_ALL_FAILURES):  # one wrong code from each new conversation
        booking_guard.cancel_by_code(db, wrong_code(1000 + i), who=f"bot-{uuid.uuid4().hex[:8]}")
    newcomer = booking_guard.cancel_by_code(db, code, who=f"new-{uuid.uuid4().hex[:8]}")
    assert newcomer.result == "locked" and still_booked(db, code)
    assert booking_guard.cancel_by_code(db, code, who=owner).result == "cancelled"


def _tracker(sender: str, code: str, lang: str) -> Tracker:
    return Tracker(sender, {"booking_code": code, "language": lang, "mode": "standard"},
                   {"text": code, "intent": {"name": "inform"}, "entities": []}, [], False, None, {}, None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cancel_action_answers_politely_in_the_persons_language(clean, test_settings, monkeypatch, lang) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(data_access, "_state", {"sessions": clean})
    monkeypatch.setattr(data_access, "settings", lambda: test_settings)
    sender = f"web:{uuid.uuid4().hex}"
    replies = []
    for i in range(booking_guard.MAX_FAILURES + 1):
        dispatcher = CollectingDispatcher()
        events = ActionCancelAppointment().run(dispatcher, _tracker(sender, wrong_code(2000 + i), lang), {})
        assert {"event": "slot", "name": "booking_code", "value": None} in [
            {k: e.get(k) for k in ("event", "name", "value")} for e in events]
        replies.append(dispatcher.messages[0])
    assert all(r["response"] == "utter_appointment_cancel_not_found" for r in replies[:booking_guard.MAX_FAILURES - 1])
    for locked in replies[booking_guard.MAX_FAILURES - 1:]:
        assert locked["text"] == BOOKING_CODE_LOCKED[lang] and "12345" in locked["text"]
    owner = pseudonym(sender, test_settings.id_salt)  # what action_book_appointment stores
    code = a_booking(clean, 33 + (lang == "en"), owner)
    dispatcher = CollectingDispatcher()
    ActionCancelAppointment().run(dispatcher, _tracker(sender, code, lang), {})
    assert dispatcher.messages[0]["response"] == "utter_appointment_cancelled"  # its own booking: yes
