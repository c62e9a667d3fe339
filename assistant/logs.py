"""Structured logging: one dotted event name per line, then ``key=value`` fields.

Personal data never belongs in a field. Callers pass ids through :func:`pseudonym` (salted hash);
free text goes in a field named in :data:`FREE_TEXT_FIELDS`, which the analytics redactor cleans.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import sys
import tempfile
import threading
from contextlib import contextmanager
from typing import Any, Iterator

_LOGGER = logging.getLogger("civic")


#: Set for every process before TensorFlow is first imported (children inherit it): TF's C++ INFO
#: and WARNING lines (CPU instructions, oneDNN, "could not find cuda drivers", TF-TRT) say nothing
#: a user can act on; its errors still show. Set, not defaulted: importing jax defaults it to 1.
QUIET_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "2"}

#: Warnings that libraries raise on every start, which no user of the assistant can act on:
#: deprecations inside our dependencies (Sanic turns them all back on at import), and Rasa's note
#: printed whenever a domain loads, whatever the domain says. Any other warning is shown.
EXPECTED_WARNINGS = re.compile("|".join((
    r": \w*DeprecationWarning: ",
    r": MovedIn20Warning: ",  # SQLAlchemy 2.0 notes on Rasa's own tracker-store models
    r"Slot auto-fill has been removed in 3\.0",
    # config.yml runs RegexEntityExtractor beside DIET on purpose: case numbers and booking codes
    # are found by the regex even when the statistical model misses one (both agree otherwise).
    r"overlap between the 'RegexEntityExtractor' and the statistical entity extractors",
)))


class ExpectedWarnings(logging.Filter):
    """Drops the warnings in :data:`EXPECTED_WARNINGS`; lets every other one through."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not EXPECTED_WARNINGS.search(record.getMessage())


def quiet_libraries() -> None:
    """Silence what our libraries print on every start, at its source (idempotent).

    Python warnings go through logging (``py.warnings``) with :class:`ExpectedWarnings` on the
    way, so the filter holds whatever a library does to the ``warnings`` filters on import; jieba
    logs its dictionary loading at DEBUG through a handler of its own (and sets its logger to
    DEBUG when imported, so a filter, not a level)."""
    os.environ.update(QUIET_ENVIRONMENT)
    if getattr(quiet_libraries, "_done", False):
        return
    logging.getLogger("jieba").addFilter(lambda record: record.levelno >= logging.WARNING)
    logging.captureWarnings(True)
    warnings_logger = logging.getLogger("py.warnings")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s WARNING %(message)s"))
    warnings_logger.addHandler(handler)
    warnings_logger.addFilter(ExpectedWarnings())
    warnings_logger.propagate = False
    quiet_libraries._done = True  # type: ignore[attr-defined]


@contextmanager
def native_info_dropped(prefix: str = "INFO: ") -> Iterator[None]:
    """Drop the ``INFO:`` lines native code writes straight to file descriptor 2 meanwhile.

    TensorFlow Lite's C++ logger prints "INFO: Created TensorFlow Lite delegate ..." whatever
    ``TF_CPP_MIN_LOG_LEVEL`` says (TF 2.12), below anything Python can filter. For the duration,
    descriptor 2 goes to a temporary file; afterwards every other line is written back, so an
    error still shows, only a moment later."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [line for line in captured.read().decode("utf-8", "replace").splitlines(keepends=True)
                    if line.strip() and not line.startswith(prefix)]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()


@contextmanager
def child_stderr_filtered(drop: "re.Pattern[str]") -> Iterator[None]:
    """Processes started meanwhile write their stderr through a filter, for their whole life.

    For a child we do not start ourselves (pyspark launches Spark's JVM, which says "WARNING:
    Using incubator modules" on every start, below any logging configuration): descriptor 2 is a
    pipe while the child is spawned, and a thread copies every line that ``drop`` does not match
    to the real stderr until the child closes it. Nothing else is held back."""
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    target, saved = os.dup(2), os.dup(2)
    os.dup2(write_end, 2)
    os.close(write_end)

    def forward() -> None:
        with os.fdopen(read_end, "rb") as source, os.fdopen(target, "wb", buffering=0) as sink:
            for line in source:
                if not drop.search(line.decode("utf-8", "replace")):
                    sink.write(line)

    threading.Thread(target=forward, name="child-stderr", daemon=True).start()
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)  # our own stderr is the terminal again; only the child holds the pipe
        os.close(saved)


def configure(level: str = "INFO") -> None:
    """Send the project's events to stderr in the ``event key=value`` format (idempotent)."""
    quiet_libraries()
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
