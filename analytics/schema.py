"""The turn record: one row per conversation turn, the contract between the gateway (writer),
the synthetic generator and the Spark job.

Kept as one pyarrow schema so every producer writes exactly the same columns and types, and
Spark reads the Parquet files without guessing. Personal data never gets in: the user id is a
salted hash (:func:`assistant.logs.pseudonym`) and the text is redacted before a record exists.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Dict, Optional

import pyarrow as pa

CHANNELS = ("wechat", "web", "kiosk")
MODES = ("standard", "elderly")
LANGUAGES = ("zh", "en")

#: The national five-level satisfaction scale (好差评): score -> label.
RATING_LABELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
_RATING_WORDS = {
    **{label: score for score, label in RATING_LABELS.items()},
    "very satisfied": 5, "satisfied": 4, "basically satisfied": 3, "fairly satisfied": 3,
    "dissatisfied": 2, "unsatisfied": 2, "very dissatisfied": 1, "very unsatisfied": 1,
}

TURN_SCHEMA = pa.schema([
    pa.field("ts", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("conversation_id", pa.string(), nullable=False),
    pa.field("user_hash", pa.string(), nullable=False),
    pa.field("channel", pa.string(), nullable=False),
    pa.field("mode", pa.string(), nullable=False),
    pa.field("lang", pa.string(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
    pa.field("intent", pa.string()),
    pa.field("topic", pa.string()),
    pa.field("confidence", pa.float32()),
    pa.field("fallback", pa.bool_(), nullable=False),
    pa.field("handoff", pa.bool_(), nullable=False),
    pa.field("latency_ms", pa.float32(), nullable=False),
    pa.field("rating", pa.int8()),
])
COLUMNS = tuple(TURN_SCHEMA.names)
#: The partition column (directory ``date=YYYY-MM-DD``); derived from ``ts`` in UTC+8, the
#: service's local day, so a turn at 07:00 Beijing time lands on the right day.
PARTITION = "date"
LOCAL_UTC_OFFSET_HOURS = 8


def normalise_channel(channel: str) -> str:
    """The core also sees ``rest`` (the Rasa REST channel): it is web traffic for the figures."""
    return channel if channel in CHANNELS else "web"


def parse_rating(value: Any) -> Optional[int]:
    """A rating slot value (5, "4", "满意", "very satisfied") -> 1..5, or ``None`` if not one."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer() and 1 <= int(value) <= 5:
        return int(value)
    text = str(value).strip().lower()
    if text.isdigit() and 1 <= int(text) <= 5:
        return int(text)
    return _RATING_WORDS.get(text)


def local_date(ts: datetime) -> str:
    """The partition day of a UTC timestamp, in the service's local time (UTC+8)."""
    from datetime import timedelta

    return (ts.astimezone(timezone.utc) + timedelta(hours=LOCAL_UTC_OFFSET_HOURS)).strftime("%Y-%m-%d")


_SURROGATE = re.compile("[\ud800-\udfff]")
_STRING_COLUMNS = tuple(f.name for f in TURN_SCHEMA if f.type == pa.string())


def storable_text(value: Any) -> Any:
    """A string Parquet can hold: lone surrogates (``"\\ud800"``, which JSON and Python accept but
    UTF-8 cannot encode) become U+FFFD. One such character used to make every later batch fail."""
    if isinstance(value, str) and _SURROGATE.search(value):
        return _SURROGATE.sub("\ufffd", value)
    return value


def make_record(**fields: Any) -> Dict[str, Any]:
    """A record dict with every column, validated enough that a bad producer fails loudly, and
    with every string storable whatever the person typed."""
    missing = [c for c in ("ts", "conversation_id", "user_hash", "channel", "text") if c not in fields]
    if missing:
        raise ValueError(f"turn record is missing {', '.join(missing)}")
    unknown = set(fields) - set(COLUMNS)
    if unknown:
        raise ValueError(f"turn record has unknown columns {sorted(unknown)}")
    record = {c: fields.get(c) for c in COLUMNS}
    record["channel"] = normalise_channel(record["channel"])
    record["mode"] = record["mode"] if record["mode"] in MODES else "standard"
    record["lang"] = record["lang"] if record["lang"] in LANGUAGES else "zh"
    record["fallback"] = bool(record["fallback"])
    record["handoff"] = bool(record["handoff"])
    record["latency_ms"] = float(record["latency_ms"] or 0.0)
    record["rating"] = parse_rating(record["rating"])
    for column in _STRING_COLUMNS:
        record[column] = storable_text(record[column])
    return record
