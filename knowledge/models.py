"""Tables of the shared government data resource: departments, service matters, cases and their
status history, service-hall appointments, handoff tickets, and the audit of every data push.

Departments used to be "information islands"; here every department pushes its cases into one
schema so the assistant can answer "where is my application?" for any of them.

Conventions: timestamps are naive UTC (``utcnow()``) except the service-hall slot times, which
are the hall's local wall-clock time (see :mod:`knowledge.clock`), because that is what people
book. The schema is created by Alembic migrations (``knowledge/migrations``), never by
``create_all`` in production code.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)

from knowledge.db import Base

#: Case statuses, in the order a case usually moves through them.
CASE_STATUSES = (
    "received", "under_review", "needs_more_documents", "approved", "rejected",
    "ready_for_pickup", "completed",
)
BOOKING_STATUSES = ("booked", "cancelled")
TICKET_STATUSES = ("open", "claimed", "closed")


class Department(Base):
    __tablename__ = "departments"

    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False, unique=True)
    name_zh = Column(String(100), nullable=False, default="")
    name_en = Column(String(100), nullable=False, default="")
    created_at = Column(DateTime, nullable=False)


class ServiceMatter(Base):
    """One matter of the catalogue (ids are those of ``assistant.core.topics.MATTERS``)."""

    __tablename__ = "service_matters"

    id = Column(String(40), primary_key=True)
    name_zh = Column(String(100), nullable=False)
    name_en = Column(String(100), nullable=False)
    department_code = Column(String(32), nullable=True)  # usual owner; informative only


class Case(Base):
    """An application a citizen made; the owning department pushes its current state."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ",".join(f"'{s}'" for s in CASE_STATUSES) + ")", name="ck_cases_status"
        ),
        Index("ix_cases_department_updated", "department_id", "updated_at"),
        # Case numbers are each department's own: one department can neither take over nor
        # discover another's numbers (migration 0002).
        UniqueConstraint("department_id", "case_number", name="uq_cases_department_number"),
        Index("ix_cases_case_number", "case_number"),
    )

    id = Column(Integer, primary_key=True)
    case_number = Column(String(32), nullable=False)
    matter_id = Column(String(40), ForeignKey("service_matters.id"), nullable=False)
    department_id = Column(Integer, ForeignKey("departments.id"), nullable=False)
    applicant_name = Column(String(100), nullable=False)
    phone = Column(String(20), nullable=False)  # digits only, normalised on the way in
    status = Column(String(32), nullable=False)
    submitted_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)  # the department's own "last changed"
    note = Column(Text, nullable=False, default="")  # shown to the applicant
    stored_at = Column(DateTime, nullable=False)  # when we last wrote the row


class CaseStatusHistory(Base):
    """Every change of a case (creation included), oldest first per case."""

    __tablename__ = "case_status_history"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    old_status = Column(String(32), nullable=True)
    new_status = Column(String(32), nullable=False)
    note = Column(Text, nullable=False, default="")
    changed_fields = Column(String(200), nullable=False, default="")
    changed_at = Column(DateTime, nullable=False)  # the record's updated_at
    recorded_at = Column(DateTime, nullable=False)
    push_id = Column(Integer, ForeignKey("data_pushes.id"), nullable=True)


class DataPush(Base):
    """Audit of one push (API call or file import): who, when, and what came of it."""

    __tablename__ = "data_pushes"

    id = Column(Integer, primary_key=True)
    department_id = Column(Integer, ForeignKey("departments.id"), nullable=False, index=True)
    source = Column(String(16), nullable=False)  # api | import
    received_at = Column(DateTime, nullable=False)
    total = Column(Integer, nullable=False, default=0)
    created = Column(Integer, nullable=False, default=0)
    updated = Column(Integer, nullable=False, default=0)
    unchanged = Column(Integer, nullable=False, default=0)
    rejected = Column(Integer, nullable=False, default=0)
    error = Column(String(200), nullable=True)  # why the push as a whole failed, if it did


class ClosedDay(Base):
    """A day the service hall is closed besides weekends (public holidays, maintenance)."""

    __tablename__ = "closed_days"

    day = Column(Date, primary_key=True)
    reason = Column(String(100), nullable=False, default="")


class AppointmentSlot(Base):
    """A time window at the service hall with a fixed number of places.

    ``booked`` is only ever changed by a conditional ``UPDATE ... WHERE booked < capacity``, and
    the check constraint makes overbooking impossible even for a buggy writer.
    """

    __tablename__ = "appointment_slots"
    __table_args__ = (
        UniqueConstraint("starts_at", name="uq_slot_start"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_slot_places"),
    )

    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)
    starts_at = Column(DateTime, nullable=False)  # hall-local wall clock
    ends_at = Column(DateTime, nullable=False)
    capacity = Column(Integer, nullable=False)
    booked = Column(Integer, nullable=False, default=0)


class Booking(Base):
    __tablename__ = "bookings"

    id = Column(Integer, primary_key=True)
    code = Column(String(16), nullable=False, unique=True)
    slot_id = Column(Integer, ForeignKey("appointment_slots.id"), nullable=False, index=True)
    matter_id = Column(String(40), ForeignKey("service_matters.id"), nullable=False)
    sender_ref = Column(String(32), nullable=False, default="")  # pseudonym, never the raw id
    channel = Column(String(20), nullable=False, default="")
    status = Column(String(16), nullable=False, default="booked")
    created_at = Column(DateTime, nullable=False)
    cancelled_at = Column(DateTime, nullable=True)


class HandoffTicket(Base):
    """A request for a person, with the redacted conversation so far for the staff member."""

    __tablename__ = "handoff_tickets"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    sender_ref = Column(String(32), nullable=False)
    channel = Column(String(20), nullable=False, default="")
    lang = Column(String(8), nullable=False, default="zh")
    topic = Column(String(40), nullable=True)
    reason = Column(Text, nullable=False, default="")
    transcript = Column(Text, nullable=False, default="[]")  # JSON list of {who, text}, redacted
    status = Column(String(16), nullable=False, default="open", index=True)
    created_at = Column(DateTime, nullable=False, index=True)
    updated_at = Column(DateTime, nullable=False)


class CaseCheck(Base):
    """Failed and passed case checks, for the lockout (issue 15: in the database, where no cache
    eviction can drop a lock). One row per (case number, requester pseudonym), and one row per
    case number with ``requester = "*"`` counting every requester's failures together."""

    __tablename__ = "case_checks"

    case_number = Column(String(32), primary_key=True)
    requester = Column(String(64), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    window_started = Column(DateTime, nullable=False)
    locked_until = Column(DateTime, nullable=True)
    verified_at = Column(DateTime, nullable=True)  # this requester once passed the check
