"""Service-hall appointments: slots, booking without overbooking, cancelling by code.

The one rule that matters under load: two people can never get the last place of a slot. The
place is taken by a single conditional ``UPDATE ... SET booked = booked + 1 WHERE booked <
capacity``; the database serialises concurrent updates of the row, so exactly one of them sees
a free place (and a check constraint backs this up). No slot in the past, none on a closed day.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable, List, Optional, Tuple

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assistant.core.topics import MATTERS
from assistant.errors import InputError, NotFoundError
from assistant.logs import log_event
from knowledge.clock import local_now, utcnow
from knowledge.identifiers import BOOKING_CODE_ALPHABET, BOOKING_CODE_PREFIX
from knowledge.models import AppointmentSlot, Booking, ClosedDay

CODE_ALPHABET = BOOKING_CODE_ALPHABET  # no 0/O, 1/I/L: read aloud and typed by hand
CODE_PREFIX = BOOKING_CODE_PREFIX  # 预约 (yùyuē)
#: (start, end) of the hall's half-days on its local clock.
HALL_HOURS: Tuple[Tuple[time, time], ...] = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 0)))
SLOT_MINUTES = 30
DEFAULT_CAPACITY = 4


class SlotUnavailable(InputError):
    """The slot is full, past, or on a closed day; the person should pick another."""


@dataclass(frozen=True)
class SlotView:
    id: int
    starts_at: datetime  # hall-local
    ends_at: datetime
    free: int


@dataclass(frozen=True)
class BookingView:
    code: str
    matter_id: str
    starts_at: datetime
    ends_at: datetime
    status: str


def new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def is_open_day(day: date, closed: Iterable[date]) -> bool:
    return day.weekday() < 5 and day not in set(closed)


def slot_times(day: date) -> List[Tuple[datetime, datetime]]:
    """The hall's slot windows on ``day`` (pure)."""
    windows = []
    for start, end in HALL_HOURS:
        cursor = datetime.combine(day, start)
        while cursor + timedelta(minutes=SLOT_MINUTES) <= datetime.combine(day, end):
            windows.append((cursor, cursor + timedelta(minutes=SLOT_MINUTES)))
            cursor += timedelta(minutes=SLOT_MINUTES)
    return windows


def closed_days(session: Session, start: date, end: date) -> List[date]:
    return list(session.execute(select(ClosedDay.day).where(ClosedDay.day.between(start, end))).scalars())


def ensure_slots(sessions: sessionmaker, days: int = 14, capacity: int = DEFAULT_CAPACITY,
                 today: Optional[date] = None) -> int:
    """Create the missing slots of the next ``days`` open days; returns how many were added."""
    today = today or local_now().date()
    end = today + timedelta(days=days)
    with sessions.begin() as session:
        closed = closed_days(session, today, end)
        have = set(session.execute(select(AppointmentSlot.starts_at).where(
            AppointmentSlot.day.between(today, end))).scalars())
        rows = [
            {"day": day, "starts_at": start, "ends_at": stop, "capacity": capacity, "booked": 0}
            for offset in range(days + 1)
            for day in [today + timedelta(days=offset)]
            if is_open_day(day, closed)
            for start, stop in slot_times(day)
            if start not in have
        ]
        if rows:
            session.execute(insert(AppointmentSlot), rows)
    return len(rows)


def close_day(sessions: sessionmaker, day: date, reason: str = "") -> None:
    with sessions.begin() as session:
        if session.get(ClosedDay, day) is None:
            session.add(ClosedDay(day=day, reason=reason[:100]))


def bookable_days(session: Session, now: Optional[datetime] = None, limit: int = 14) -> List[date]:
    """Days with at least one free place still to come, soonest first."""
    now = now or local_now()
    closed = set(closed_days(session, now.date(), now.date() + timedelta(days=60)))
    days = session.execute(
        select(AppointmentSlot.day).where(and_(AppointmentSlot.starts_at > now,
                                               AppointmentSlot.booked < AppointmentSlot.capacity))
        .group_by(AppointmentSlot.day).order_by(AppointmentSlot.day).limit(limit + len(closed))
    ).scalars()
    return [d for d in days if is_open_day(d, closed)][:limit]


def free_slots(session: Session, day: date, now: Optional[datetime] = None) -> List[SlotView]:
    now = now or local_now()
    if not is_open_day(day, closed_days(session, day, day)):
        return []
    rows = session.execute(
        select(AppointmentSlot).where(and_(AppointmentSlot.day == day, AppointmentSlot.starts_at > now,
                                           AppointmentSlot.booked < AppointmentSlot.capacity))
        .order_by(AppointmentSlot.starts_at)
    ).scalars()
    return [SlotView(s.id, s.starts_at, s.ends_at, s.capacity - s.booked) for s in rows]


def book(sessions: sessionmaker, slot_id: int, matter_id: str, sender_ref: str = "",
         channel: str = "", now: Optional[datetime] = None) -> BookingView:
    """Take one place in the slot, or raise :class:`SlotUnavailable` / :class:`NotFoundError`."""
    if matter_id not in MATTERS:
        raise InputError(f"unknown matter {matter_id!r}")
    now = now or local_now()
    with sessions.begin() as session:
        slot = session.get(AppointmentSlot, slot_id)
        if slot is None:
            raise NotFoundError("no such appointment slot")
        if slot.starts_at <= now:
            raise SlotUnavailable("that time has already passed")
        if not is_open_day(slot.day, closed_days(session, slot.day, slot.day)):
            raise SlotUnavailable("the service hall is closed that day")
        taken = session.execute(
            update(AppointmentSlot)
            .where(and_(AppointmentSlot.id == slot_id, AppointmentSlot.booked < AppointmentSlot.capacity))
            .values(booked=AppointmentSlot.booked + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:
            raise SlotUnavailable("that time is fully booked")
        code = _insert_booking(session, slot_id, matter_id, sender_ref, channel)
        view = BookingView(code, matter_id, slot.starts_at, slot.ends_at, "booked")
    log_event("appointment.booked", slot=slot_id, matter=matter_id)
    return view


def _insert_booking(session: Session, slot_id: int, matter_id: str, sender_ref: str, channel: str) -> str:
    for _ in range(5):  # 31^6 codes; a collision is rare, and then we draw again
        code = new_code()
        try:
            with session.begin_nested():
                session.execute(insert(Booking).values(
                    code=code, slot_id=slot_id, matter_id=matter_id, sender_ref=sender_ref[:32],
                    channel=channel[:20], status="booked", created_at=utcnow()))
            return code
        except IntegrityError:
            continue
    raise InputError("could not issue a booking code, please try again")


def find_booking(session: Session, code: str) -> Optional[BookingView]:
    row = session.execute(
        select(Booking, AppointmentSlot).join(AppointmentSlot, AppointmentSlot.id == Booking.slot_id)
        .where(Booking.code == normalise_code(code))
    ).first()
    if row is None:
        return None
    booking, slot = row
    return BookingView(booking.code, booking.matter_id, slot.starts_at, slot.ends_at, booking.status)


def cancel(sessions: sessionmaker, code: str, now: Optional[datetime] = None) -> Optional[BookingView]:
    """Cancel a booking that is still to come and give its place back; ``None`` if there is no
    such active booking (unknown, already cancelled, or already past)."""
    now = now or local_now()
    code = normalise_code(code)
    with sessions.begin() as session:
        row = session.execute(
            select(Booking.id, Booking.slot_id, AppointmentSlot.starts_at)
            .join(AppointmentSlot, AppointmentSlot.id == Booking.slot_id)
            .where(and_(Booking.code == code, Booking.status == "booked"))
        ).first()
        if row is None or row.starts_at <= now:
            return None
        done = session.execute(
            update(Booking).where(and_(Booking.id == row.id, Booking.status == "booked"))
            .values(status="cancelled", cancelled_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if done != 1:  # a concurrent cancel won
            return None
        session.execute(
            update(AppointmentSlot).where(and_(AppointmentSlot.id == row.slot_id, AppointmentSlot.booked > 0))
            .values(booked=AppointmentSlot.booked - 1).execution_options(synchronize_session=False)
        )
        view = find_booking(session, code)
    log_event("appointment.cancelled", slot=row.slot_id)
    return view


def places_taken(session: Session, slot_id: int) -> Tuple[int, int]:
    """(booked counter, active bookings) of a slot: equal unless something went wrong."""
    slot = session.get(AppointmentSlot, slot_id)
    active = session.execute(select(func.count()).select_from(Booking).where(
        and_(Booking.slot_id == slot_id, Booking.status == "booked"))).scalar_one()
    return (slot.booked if slot else 0), active


