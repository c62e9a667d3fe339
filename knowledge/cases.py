"""Cases pushed by departments: validation, idempotent upsert with history, and read-back.

A push is one transaction. Every record is validated on its own (:mod:`knowledge.case_records`;
a bad record is rejected with its reason; the good ones in the same batch still land). The valid
records are written with a few set-based statements inside a savepoint (the fast path,
thousands of records a second); if the database refuses that (a race with another writer, a
constraint we did not foresee) the savepoint is rolled back and each record is written in its own
savepoint, so one bad row costs only itself and nothing is ever half-written. Status-change
callbacks run after the commit.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from assistant.logs import log_event
from knowledge import case_events
from knowledge.case_records import (  # noqa: F401  (FIELDS, validate_record: part of this API)
    FIELDS,
    CaseRecord,
    RecordError,
    storable,
    validate_record,
)
from knowledge.cleaning import clean_text, normalise_case_number
from knowledge.clock import utcnow
from knowledge.models import Case, CaseStatusHistory, DataPush, Department
from knowledge.reference import ensure_departments

COMPARED = ("matter_id", "applicant_name", "phone", "status", "submitted_at", "updated_at", "note")
MAX_BATCH = 5000


@dataclass(frozen=True)
class Rejection:
    index: int  # position in the batch (0-based), or line number for imports
    case_number: Optional[str]
    reason: str


@dataclass
class PushResult:
    push_id: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: List[Rejection] = field(default_factory=list)
    status_changes: List[case_events.StatusChange] = field(default_factory=list)

    def as_dict(self) -> Dict[str, Any]:
        return {
            "push_id": self.push_id, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "rejected": len(self.rejected),
            "rejections": [{"index": r.index, "case_number": r.case_number, "reason": r.reason}
                           for r in self.rejected],
        }


def push_cases(
    sessions: sessionmaker, department: str, raws: Sequence[Any], source: str = "api",
    now: Optional[datetime] = None, positions: Optional[Sequence[int]] = None,
) -> PushResult:
    """Validate and upsert ``raws`` for ``department``; audit the push; notify after commit.

    ``positions`` lets the importer report file line numbers instead of batch indexes. Every
    outcome leaves an audit row: a push the database refused as a whole is recorded (with its
    error) in a transaction of its own, then raised.
    """
    now = now or utcnow()
    positions = list(positions) if positions is not None else list(range(len(raws)))
    rejected: List[Rejection] = []
    valid: List[Tuple[int, CaseRecord]] = []
    seen: Dict[str, int] = {}
    for index, raw in zip(positions, raws):
        try:
            record = validate_record(raw, department, now)
        except RecordError as err:
            number = raw.get("case_number") if isinstance(raw, Mapping) else None
            rejected.append(Rejection(index, storable(clean_text(number))[:32] or None, str(err)))
            continue
        if record.case_number in seen:
            rejected.append(Rejection(index, record.case_number,
                                      f"duplicate of the record at {seen[record.case_number]}"))
            continue
        seen[record.case_number] = index
        valid.append((index, record))

    try:
        result = _store_once_more_on_reconnect(sessions, department, source, len(raws), valid,
                                               rejected, now)
    except Exception as err:
        audit_failure(sessions, department, source, len(raws), f"{type(err).__name__}", now)
        raise
    log_event("data.push", department=department, source=source, total=len(raws),
              created=result.created, updated=result.updated, unchanged=result.unchanged,
              rejected=len(result.rejected))
    case_events.publish(result.status_changes)
    return result


def _store_once_more_on_reconnect(sessions: sessionmaker, department: str, source: str, total: int,
                                  valid: List[Tuple[int, CaseRecord]], rejected: List[Rejection],
                                  now: datetime) -> PushResult:
    """The write, run a second time if the first found its pooled connection dead (the database
    restarted since it was opened). Nothing was committed then, so running it again is safe;
    like ``knowledge.db.read``, the person pushing never sees the restart."""
    try:
        return _store(sessions, department, source, total, valid, rejected, now)
    except DBAPIError as err:
        if not err.connection_invalidated:
            raise
        log_event("data.push.reconnected", department=department)
    return _store(sessions, department, source, total, valid, rejected, now)


def _store(sessions: sessionmaker, department: str, source: str, total: int,
           valid: List[Tuple[int, CaseRecord]], rejected: List[Rejection], now: datetime) -> PushResult:
    result = PushResult(rejected=list(rejected))
    with sessions.begin() as session:
        department_id = ensure_departments(session, [department], now)[department]
        push = DataPush(department_id=department_id, source=source, received_at=now, total=total)
        session.add(push)
        session.flush()
        result.push_id = push.id
        try:
            with session.begin_nested():
                _write(session, department_id, department, push.id, valid, now, result)
        except DBAPIError as err:
            if err.connection_invalidated:
                raise
            log_event("data.push.fallback", department=department, error=type(err.orig).__name__)
            for item in valid:
                try:
                    with session.begin_nested():
                        _write(session, department_id, department, push.id, [item], now, result)
                except DBAPIError as row_err:
                    if row_err.connection_invalidated:
                        raise
                    reason = f"the database refused the record ({type(row_err.orig).__name__})"
                    result.rejected.append(Rejection(item[0], item[1].case_number, reason))
        result.rejected.sort(key=lambda r: r.index)
        push.created, push.updated, push.unchanged = result.created, result.updated, result.unchanged
        push.rejected = len(result.rejected)
    return result


def audit_failure(sessions: sessionmaker, department: str, source: str, total: int, error: str,
                  now: Optional[datetime] = None) -> None:
    """An audit row for a push that stored nothing (refused as a whole, or the database failed):
    every record counted as rejected, with the reason. Best effort: if even this cannot be
    written, the database is down and the log line is the audit."""
    now = now or utcnow()
    log_event("data.push.failed", department=department, source=source, total=total, error=error)
    try:
        with sessions.begin() as session:
            department_id = ensure_departments(session, [department], now)[department]
            session.add(DataPush(department_id=department_id, source=source, received_at=now,
                                 total=total, rejected=total, error=storable(error)[:200]))
    except Exception as err:  # the database itself is what failed
        log_event("data.push.audit_failed", department=department, error=type(err).__name__)


def _write(session: Session, department_id: int, department: str, push_id: int,
           items: List[Tuple[int, CaseRecord]], now: datetime, result: PushResult) -> None:
    """Set-based upsert of already validated records (used for a batch or for one record).

    ``result`` is only touched after every statement succeeded, so a failed attempt (rolled
    back to its savepoint by the caller) leaves no trace in the counts either."""
    if not items:
        return
    numbers = [r.case_number for _, r in items]
    # Only this department's cases: another department's case of the same number is neither
    # touched nor noticed (case numbers are namespaced per department, migration 0002).
    query = select(Case.id, Case.case_number, Case.department_id, *[getattr(Case, c) for c in COMPARED]
                   ).where(Case.department_id == department_id, Case.case_number.in_(numbers))
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    existing = {row.case_number: row for row in session.execute(query)}
    new_rows, changed_rows, history, created_numbers = [], [], [], []
    local: Dict[str, Any] = {"created": 0, "updated": 0, "unchanged": 0, "changes": [], "rejected": []}
    for index, record in items:
        row = _row(record, department_id, now)
        old = existing.get(record.case_number)
        if old is None:
            new_rows.append(row)
            created_numbers.append((record.case_number, record))
            continue
        if record.updated_at < old.updated_at:
            local["rejected"].append(Rejection(
                index, record.case_number,
                f"stale: the stored record was updated at {old.updated_at.isoformat()}Z"))
            continue
        changed = [c for c in COMPARED if getattr(old, c) != row[c]]
        if not changed:
            local["unchanged"] += 1
            continue
        changed_rows.append(row)
        local["updated"] += 1
        history.append(_history(old.id, old.status, record, changed, now, push_id))
        if old.status != record.status:
            local["changes"].append(case_events.StatusChange(
                record.case_number, department, old.status,
                record.status, record.matter_id))
    if new_rows:
        session.execute(insert(Case), new_rows)
        ids = dict(session.execute(select(Case.case_number, Case.id).where(
            Case.department_id == department_id,
            Case.case_number.in_([n for n, _ in created_numbers]))).all())
        for number, record in created_numbers:
            history.append(_history(ids[number], None, record, ["created"], now, push_id))
            local["changes"].append(case_events.StatusChange(
                number, department, None, record.status, record.matter_id))
        local["created"] = len(new_rows)
    if changed_rows:
        _bulk_update(session, changed_rows)
    if history:
        session.execute(insert(CaseStatusHistory), history)
    result.created += local["created"]
    result.updated += local["updated"]
    result.unchanged += local["unchanged"]
    result.status_changes.extend(local["changes"])
    result.rejected.extend(local["rejected"])


def _bulk_update(session: Session, rows: List[Dict[str, Any]]) -> None:
    """One statement for many updates: INSERT .. ON CONFLICT DO UPDATE on rows known to exist
    (and locked, on PostgreSQL), guarded so a row of another department is never touched."""
    dialect = session.bind.dialect.name
    if dialect == "postgresql" and session.bind.dialect.driver == "psycopg2":
        _pg_execute_values_upsert(session, rows)
        return
    if dialect not in ("postgresql", "sqlite"):
        for row in rows:
            session.execute(update(Case).where(and_(Case.case_number == row["case_number"],
                                                    Case.department_id == row["department_id"]))
                            .values(**row))
        return
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(Case)
    columns = {c: statement.excluded[c] for c in COMPARED + ("stored_at",)}
    statement = statement.on_conflict_do_update(
        index_elements=[Case.department_id, Case.case_number], set_=columns,
        where=Case.department_id == statement.excluded.department_id,
    )
    session.execute(statement, rows)


_UPSERT_COLUMNS = ("case_number", "department_id") + COMPARED + ("stored_at",)
_PG_UPSERT = (
    f"INSERT INTO cases ({', '.join(_UPSERT_COLUMNS)}) VALUES %s "
    "ON CONFLICT (department_id, case_number) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in COMPARED + ("stored_at",))
    + " WHERE cases.department_id = EXCLUDED.department_id"
)


def _pg_execute_values_upsert(session: Session, rows: List[Dict[str, Any]]) -> None:
    """psycopg2's ``execute_values``: one round trip per 1,000 rows. SQLAlchemy 1.4 sends an
    ``ON CONFLICT`` statement row by row, which made updates several times slower than inserts."""
    from psycopg2.extras import execute_values

    cursor = session.connection().connection.cursor()
    try:
        execute_values(cursor, _PG_UPSERT, [tuple(row[c] for c in _UPSERT_COLUMNS) for row in rows],
                       page_size=1000)
    finally:
        cursor.close()


def _row(record: CaseRecord, department_id: int, now: datetime) -> Dict[str, Any]:
    return {
        "case_number": record.case_number, "matter_id": record.matter_id,
        "department_id": department_id, "applicant_name": record.applicant_name,
        "phone": record.phone, "status": record.status, "submitted_at": record.submitted_at,
        "updated_at": record.updated_at, "note": record.note, "stored_at": now,
    }


def _history(case_id: int, old_status: Optional[str], record: CaseRecord, changed: Iterable[str],
             now: datetime, push_id: int) -> Dict[str, Any]:
    return {
        "case_id": case_id, "old_status": old_status, "new_status": record.status,
        "note": record.note, "changed_fields": ",".join(changed)[:200],
        "changed_at": record.updated_at, "recorded_at": now, "push_id": push_id,
    }


# --- reading -------------------------------------------------------------------------------------


# Built once: on a lookup, building a statement and its cache key costs more than running it.
_CASE_BY_NUMBER = (
    select(Case.id, Case.case_number, Case.matter_id, Department.code.label("department"),
           Case.applicant_name, Case.phone, Case.status, Case.submitted_at, Case.updated_at, Case.note)
    .join(Department, Department.id == Case.department_id)
    .where(Case.case_number == bindparam("number"))
)
_CASE_WITH_HISTORY = (  # one round trip: the case's columns repeat on each of its few history rows
    _CASE_BY_NUMBER.where(Department.code == bindparam("department")).add_columns(
        CaseStatusHistory.old_status, CaseStatusHistory.new_status, CaseStatusHistory.note.label("h_note"),
        CaseStatusHistory.changed_fields, CaseStatusHistory.changed_at, CaseStatusHistory.recorded_at)
    .outerjoin(CaseStatusHistory, CaseStatusHistory.case_id == Case.id)
    .order_by(CaseStatusHistory.id)
)


def case_for_department(connection: Connection, department: str, case_number: str) -> Optional[Dict[str, Any]]:
    """The case with its history, only if ``department`` owns it (else ``None``, like absent)."""
    try:
        number = normalise_case_number(case_number)
    except ValueError:
        return None
    rows = connection.execute(_CASE_WITH_HISTORY, {"number": number, "department": department}).all()
    if not rows or rows[0].department != department:
        return None
    case = rows[0]
    return {
        "case_number": case.case_number, "matter": case.matter_id, "department": department,
        "applicant_name": case.applicant_name, "phone": case.phone, "status": case.status,
        "submitted_at": _iso(case.submitted_at), "updated_at": _iso(case.updated_at),
        "note": case.note,
        "history": [{"old_status": h.old_status, "new_status": h.new_status, "note": h.h_note,
                     "changed_fields": h.changed_fields.split(",") if h.changed_fields else [],
                     "changed_at": _iso(h.changed_at), "recorded_at": _iso(h.recorded_at)}
                    for h in rows if h.new_status is not None],
    }


@dataclass(frozen=True)
class CaseView:
    """What the applicant may learn once they proved who they are."""

    case_number: str
    matter_id: str
    department_code: str
    status: str
    submitted_at: datetime
    updated_at: datetime
    note: str


def verify_case(connection: Connection, case_number: str, phone_last4: str) -> Optional[CaseView]:
    """The case if the phone on it ends with ``phone_last4``; ``None`` for a wrong suffix and for
    an unknown number alike, so the answer never tells which of the two it was."""
    # Several departments may each have a case of this number: the one whose phone matches.
    # Every candidate is compared (and one dummy when there is none), so the time taken does
    # not say whether the number exists.
    rows = connection.execute(_CASE_BY_NUMBER, {"number": case_number}).all()
    given = (phone_last4 or "").encode("utf-8", "surrogatepass")
    row = None
    for candidate in rows or [None]:
        stored = candidate.phone[-4:] if candidate is not None else "\0\0\0\0"
        if hmac.compare_digest(stored.encode(), given) and candidate is not None and row is None:
            row = candidate
    if row is None:
        return None
    return CaseView(row.case_number, row.matter_id, row.department, row.status, row.submitted_at,
                    row.updated_at, row.note)


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() + "Z" if value else None
