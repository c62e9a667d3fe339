"""Structured logging: one dotted event name per line, then ``key=value`` fields.

Personal data never belongs in a field. Callers pass ids through :func:`pseudonym` (salted hash);
free text goes in a field named in :data:`FREE_TEXT_FIELDS`, which the analytics redactor cleans.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sys
from typing import Any

_LOGGER = logging.getLogger("civic")


def configure(level: str = "INFO") -> None:
    """Send the project's events to stderr in the ``event key=value`` format (idempotent)."""
    if getattr(configure, "_done", False):
        _LOGGER.setLevel(level)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    _LOGGER.addHandler(handler)
    _LOGGER.setLevel(level)
    _LOGGER.propagate = False
    configure._done = True  # type: ignore[attr-defined]
    quiet_rasa()


def quiet_rasa(level: int = logging.WARNING) -> None:
    """Rasa logs every tracker event at debug level through structlog; keep ours readable."""
    try:
        from rasa.utils.common import configure_logging_and_warnings
        from rasa.utils.log_utils import configure_structlog
    except ImportError:  # pragma: no cover - rasa is always installed with the app
        return
    configure_logging_and_warnings(level)
    configure_structlog(level)


def _format_value(value: Any) -> str:
    text = str(value)
    if not text or any(c.isspace() or c in '"=' for c in text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return text


#: Fields that may carry what a person typed; they pass through the one redactor on the way out.
FREE_TEXT_FIELDS = frozenset({"text", "message", "query", "reason", "note"})


def format_event(event: str, **fields: Any) -> str:
    """Render ``event k=v ...``; pure so tests can check the exact line. Free-text fields are
    redacted (``analytics.redact``) here, so no caller can forget to."""
    from analytics.redact import redact

    parts = [event] + [f"{k}={_format_value(redact(str(v)) if k in FREE_TEXT_FIELDS else v)}"
                       for k, v in fields.items() if v is not None]
    return " ".join(parts)


def log_event(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one structured event, e.g. ``log_event("chat.turn", sender=pseudonym(x), ms=12)``.
    Inside a request the line ends with ``rid=<request id>`` (:mod:`assistant.request_id`), so a
    turn can be followed from the gateway into the action server."""
    if _LOGGER.isEnabledFor(level):
        from assistant import request_id

        rid = request_id.current()
        if rid is not None and "rid" not in fields:
            fields["rid"] = rid
        _LOGGER.log(level, format_event(event, **fields))


def pseudonym(user_id: str, salt: str) -> str:
    """A stable, salted, non-reversible stand-in for a user id (OpenID, phone, sender)."""
    # surrogatepass: an id with a lone surrogate still hashes (and logs) instead of raising
    return hmac.new(salt.encode(), user_id.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:16]
