"""Checking one pushed case record, before anything touches the database (pure functions).

Shared by the data interface and the file importer through :func:`knowledge.cases.push_cases`.
Each record is checked on its own so one bad record costs only itself: a date the time-zone
conversion cannot handle (year 1, year 9999), a NUL byte PostgreSQL refuses, a lone surrogate
UTF-8 cannot encode, a value no column can hold. Each used to turn the whole push into a 500.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping, Optional

from assistant.core.topics import MATTERS
from knowledge.cleaning import (
    clean_text,
    normalise_case_number,
    normalise_phone,
    normalise_status,
    optional_text,
    parse_datetime,
)

FIELDS = ("case_number", "matter", "department", "applicant_name", "phone", "status",
          "submitted_at", "updated_at", "note")
CLOCK_SKEW = timedelta(minutes=10)
#: No case of the resource is older than this; anything earlier is a typing or export error
#: (year 1 and year 9999 used to overflow the time-zone conversion into a 500).
EARLIEST = datetime(1949, 10, 1)
MAX_VALUE_CHARS = 2000
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` safe to send back in JSON and to log (lone surrogates become U+FFFD)."""
    return _SURROGATES.sub("\ufffd", text)


@dataclass(frozen=True)
class CaseRecord:
    case_number: str
    matter_id: str
    applicant_name: str
    phone: str
    status: str
    submitted_at: datetime
    updated_at: datetime
    note: str


class RecordError(ValueError):
    """One record cannot be accepted; the message is the reason sent back to the department."""


def _text_problem(value: Any) -> Optional[str]:
    """Why a pushed value cannot be stored as text: NUL and other control characters (PostgreSQL
    refuses NUL, and none belongs in a record), lone surrogates (not encodable as UTF-8), or a
    length no field allows."""
    if not isinstance(value, str):
        return None
    if len(value) > MAX_VALUE_CHARS:
        return f"is longer than {MAX_VALUE_CHARS} characters"
    if _UNSTORABLE.search(value):
        return "contains a control character or an unpaired surrogate"
    return None


def validate_record(raw: Any, department: str, now: datetime) -> CaseRecord:
    """Clean and check one pushed record (pure). ``department`` is the pusher's own code."""
    if not isinstance(raw, Mapping):
        raise RecordError("record must be a JSON object")
    unknown = set(raw) - set(FIELDS)
    if unknown:
        names = ", ".join(sorted(storable(str(k))[:40] for k in unknown))
        raise RecordError(f"unknown field(s): {names}"[:200])
    for name in FIELDS:
        problem = _text_problem(raw.get(name))
        if problem:
            raise RecordError(f"{name} {problem}")
    try:
        case_number = normalise_case_number(raw.get("case_number"))
        claimed = clean_text(raw.get("department"))
        if claimed and claimed != department:
            raise ValueError(f"department {claimed[:32]!r} does not match the token's department")
        matter = clean_text(raw.get("matter"))
        if matter not in MATTERS:
            raise ValueError(f"unknown matter {matter[:40]!r}")
        name = clean_text(raw.get("applicant_name"))
        if not name:
            raise ValueError("applicant_name is missing")
        if len(name) > 100:
            raise ValueError("applicant_name is longer than 100 characters")
        phone = normalise_phone(raw.get("phone"))
        status = normalise_status(raw.get("status"))
        submitted = parse_datetime(raw.get("submitted_at"), "submitted_at")
        updated = parse_datetime(raw.get("updated_at") or raw.get("submitted_at"), "updated_at")
        if updated < submitted:
            raise ValueError("updated_at is before submitted_at")
        if updated > now + CLOCK_SKEW or submitted > now + CLOCK_SKEW:
            raise ValueError("dates must not be in the future")
        if submitted < EARLIEST:
            raise ValueError(f"submitted_at is before {EARLIEST.year}; check the date")
        note = optional_text(raw.get("note"), "note", 1000) or ""
    except ValueError as err:
        raise RecordError(str(err)) from err
    return CaseRecord(case_number, matter, name, phone, status, submitted, updated, note)
