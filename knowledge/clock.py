"""Time for the data layer: stored timestamps are naive UTC; the service hall runs on China
Standard Time (UTC+8, no daylight saving), which is what people mean by "Monday 9:00"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

LOCAL_TZ = timezone(timedelta(hours=8), "CST")


def utcnow() -> datetime:
    """Now as naive UTC, the form every stored timestamp has."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local_now() -> datetime:
    """Now on the hall's wall clock (naive), for slots and "today"."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None)


def to_naive_utc(value: datetime) -> datetime:
    """Aware values are converted; naive ones are taken as hall-local time (what clerks type)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def utc_to_local(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc).astimezone(LOCAL_TZ).replace(tzinfo=None)
