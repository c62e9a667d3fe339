"""Pure normalisers shared by the data interface and the file importer.

Departments export data by hand as often as by program: phone numbers with spaces and ``+86``,
dates as ``2024/3/5`` or ``2024年3月5日``, statuses in Chinese. Each function returns the clean
value or raises :class:`ValueError` with a reason a clerk can act on.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Optional

from knowledge.clock import to_naive_utc
from knowledge.identifiers import CASE_NUMBER_RE, FULL_WIDTH
from knowledge.models import CASE_STATUSES


#: Chinese (and a few English) status names as they appear in department exports.
STATUS_ALIASES = {
    "已受理": "received", "受理": "received", "已接收": "received", "已提交": "received",
    "待受理": "received", "收件": "received",
    "审核中": "under_review", "审查中": "under_review", "办理中": "under_review",
    "审批中": "under_review", "正在审核": "under_review", "在办": "under_review",
    "待补正": "needs_more_documents", "需补充材料": "needs_more_documents",
    "补正材料": "needs_more_documents", "材料不全": "needs_more_documents",
    "待补充材料": "needs_more_documents", "补齐补正": "needs_more_documents",
    "已批准": "approved", "审核通过": "approved", "已通过": "approved", "准予许可": "approved",
    "已核准": "approved",
    "不予受理": "rejected", "未通过": "rejected", "已驳回": "rejected", "不予许可": "rejected",
    "审核不通过": "rejected", "驳回": "rejected",
    "待领取": "ready_for_pickup", "可领取": "ready_for_pickup", "已制证": "ready_for_pickup",
    "待取件": "ready_for_pickup", "制证完成": "ready_for_pickup",
    "已办结": "completed", "办结": "completed", "已完成": "completed", "已领取": "completed",
    "已取件": "completed",
    "in review": "under_review", "reviewing": "under_review", "missing documents": "needs_more_documents",
    "ready": "ready_for_pickup", "done": "completed",
}

_DATE_FORMATS = (
    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y%m%d%H%M%S",
)
_CHINESE_DATE = re.compile(
    r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]?(?:\s*([0-9]{1,2})[:：时点]([0-9]{1,2})?分?)?$"
)


def clean_text(value: Any) -> str:
    """Trim and collapse inner whitespace (full-width spaces included)."""
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value).replace("\u3000", " ")).strip()


def normalise_case_number(value: Any) -> str:
    # Full-width letters and digits from a Chinese IME are what the clerk meant; any other
    # Unicode digit is not (CASE_NUMBER_RE is ASCII-only).
    number = re.sub(r"[\s\-_]", "", clean_text(value).translate(FULL_WIDTH)).upper()
    if not number:
        raise ValueError("case_number is missing")
    if not CASE_NUMBER_RE.match(number):
        raise ValueError("case_number must be 2-4 letters followed by 6-14 digits, e.g. SZ2024001234")
    return number


def normalise_phone(value: Any) -> str:
    """Digits only, without the +86 country code; 7 to 15 digits (mobiles and landlines)."""
    text = clean_text(value).translate(FULL_WIDTH)
    if not text:
        raise ValueError("phone is missing")
    if re.search(r"[^0-9\s\-+().]", text):
        raise ValueError("phone may contain only digits, spaces, '+', '-', '(' and ')'")
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+86") or (digits.startswith("86") and len(digits) == 13):
        digits = digits[2:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not 7 <= len(digits) <= 15:
        raise ValueError("phone must have 7 to 15 digits")
    return digits


def normalise_status(value: Any) -> str:
    text = clean_text(value)
    if text.lower().replace(" ", "_") in CASE_STATUSES:
        return text.lower().replace(" ", "_")
    mapped = STATUS_ALIASES.get(text) or STATUS_ALIASES.get(text.lower())
    if mapped:
        return mapped
    raise ValueError(f"unknown status {text[:40]!r}; expected one of {', '.join(CASE_STATUSES)}")


def parse_datetime(value: Any, field: str) -> datetime:
    """ISO 8601 (with or without offset) and common export formats -> naive UTC.

    A value without an offset is hall-local time (UTC+8), which is what clerks type. Dates at the
    ends of the calendar (year 1, year 9999) cannot be moved to UTC; they are a ``ValueError``
    like every other unusable date, not an ``OverflowError`` nobody catches.
    """
    try:
        return _parse_datetime(value, field)
    except OverflowError as err:
        raise ValueError(f"{field} is out of the range of usable dates") from err


def _parse_datetime(value: Any, field: str) -> datetime:
    if isinstance(value, datetime):
        return to_naive_utc(value)
    text = clean_text(value)
    if not text:
        raise ValueError(f"{field} is missing")
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return to_naive_utc(datetime.fromisoformat(iso))
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return to_naive_utc(datetime.strptime(text, fmt))
        except ValueError:
            continue
    match = _CHINESE_DATE.match(text)
    if match:
        y, mo, d, h, mi = match.groups()
        try:
            return to_naive_utc(datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0)))
        except ValueError as err:
            raise ValueError(f"{field} is not a real date: {text[:40]!r}") from err
    raise ValueError(f"{field} is not a date we understand: {text[:40]!r} (use ISO 8601)")


def optional_text(value: Any, field: str, limit: int) -> Optional[str]:
    text = clean_text(value)
    if len(text) > limit:
        raise ValueError(f"{field} is longer than {limit} characters")
    return text
