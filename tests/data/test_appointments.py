"""Appointments: no overbooking under concurrency, no past slots, no closed days, cancel by code."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, insert, select

from assistant.errors import NotFoundError
from knowledge import appointments
from knowledge.clock import local_now
from knowledge.models import AppointmentSlot, Booking


def next_weekday(start: date, offset_days: int = 1) -> date:
    day = start + timedelta(days=offset_days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def make_slot(sessions, starts_at: datetime, capacity: int = 1) -> int:
    with sessions.begin() as session:
        session.execute(delete(Booking).where(Booking.slot_id.in_(
            select(AppointmentSlot.id).where(AppointmentSlot.starts_at == starts_at)))
            .execution_options(synchronize_session=False))
        session.execute(delete(AppointmentSlot).where(AppointmentSlot.starts_at == starts_at))
        session.execute(insert(AppointmentSlot).values(
            day=starts_at.date(), starts_at=starts_at, ends_at=starts_at + timedelta(minutes=30),
            capacity=capacity, booked=0))
        return session.execute(select(AppointmentSlot.id).where(
            AppointmentSlot.starts_at == starts_at)).scalar_one()


def far_future_start(seed: int) -> datetime:
    """A weekday at least a year ahead, unique per test, so tests never share a slot."""
    day = next_weekday(local_now().date() + timedelta(days=400 + seed * 7))
    return datetime.combine(day, time(10, 0))


def test_slots_skip_weekends_and_closed_days_and_are_idempotent(sessions):
    today = local_now().date() + timedelta(days=900)
    closed = next_weekday(today, 2)
    appointments.close_day(sessions, closed, "public holiday")
    added = appointments.ensure_slots(sessions, days=14, capacity=3, today=today)
    assert added > 0
    assert appointments.ensure_slots(sessions, days=14, capacity=3, today=today) == 0
    with sessions() as session:
        days = set(session.execute(select(AppointmentSlot.day).where(
            AppointmentSlot.day.between(today, today + timedelta(days=14)))).scalars())
    assert days and all(d.weekday() < 5 for d in days) and closed not in days
    assert added == len(days) * len(appointments.slot_times(today))


def test_book_and_cancel_by_code_gives_the_place_back(sessions):
    slot_id = make_slot(sessions, far_future_start(1), capacity=1)
    booking = appointments.book(sessions, slot_id, "passport", sender_ref="abc", channel="web")
    assert booking.code.startswith("YY") and len(booking.code) == 8
    with pytest.raises(appointments.SlotUnavailable):
        appointments.book(sessions, slot_id, "passport")
    with sessions() as session:
        assert appointments.find_booking(session, booking.code.lower()).status == "booked"
        assert appointments.places_taken(session, slot_id) == (1, 1)
    cancelled = appointments.cancel(sessions, f" {booking.code.lower()} ")
    assert cancelled is not None and cancelled.status == "cancelled"
    assert appointments.cancel(sessions, booking.code) is None  # only once
    assert appointments.cancel(sessions, "YY2222222") is None
    with sessions() as session:
        assert appointments.places_taken(session, slot_id) == (0, 0)
    again = appointments.book(sessions, slot_id, "id_card")
    assert again.code != booking.code


def test_no_booking_in_the_past_on_a_closed_day_or_of_an_unknown_slot(sessions):
    past = make_slot(sessions, datetime.combine(local_now().date() - timedelta(days=3), time(9, 0)))
    with pytest.raises(appointments.SlotUnavailable, match="passed"):
        appointments.book(sessions, past, "passport")
    start = far_future_start(2)
    slot_id = make_slot(sessions, start)
    appointments.close_day(sessions, start.date(), "maintenance")
    with pytest.raises(appointments.SlotUnavailable, match="closed"):
        appointments.book(sessions, slot_id, "passport")
    with sessions() as session:
        assert appointments.free_slots(session, start.date()) == []
    with pytest.raises(NotFoundError):
        appointments.book(sessions, 987654321, "passport")


def test_concurrent_requests_never_overbook_the_last_places(sessions, engine):
    """Many threads race for a slot with 2 places: exactly 2 win, on SQLite and PostgreSQL."""
    slot_id = make_slot(sessions, far_future_start(3), capacity=2)
    barrier = threading.Barrier(12)
    outcomes = []

    def attempt() -> None:
        barrier.wait()
        try:
            outcomes.append(appointments.book(sessions, slot_id, "passport").code)
        except appointments.SlotUnavailable:
            outcomes.append(None)

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [o for o in outcomes if o]
    assert len(outcomes) == 12 and len(winners) == 2 and len(set(winners)) == 2
    with sessions() as session:
        assert appointments.places_taken(session, slot_id) == (2, 2)
