"""Staff's published edits as every process reads them (issue 17): the newest published version of
each matter, re-read from the database only when something was published.

The gateway's workers and the action server are separate processes, so a publication cannot be
announced in memory; the database is the one place they all read. :func:`published_stamp` is one
small aggregate query (how many published versions, the newest time and id) that changes with
every publication and rollback and with nothing else; :class:`LivePublished` asks for it at most
every ``check_seconds`` (``CIVIC_CATALOGUE_CHECK_SECONDS``), so a turn costs no query in between
and an edit is answered everywhere within that interval, without a restart.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from datetime import datetime
from typing import Callable, Dict, Iterator, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from knowledge.editor_models import CatalogueVersion
from knowledge.stamped import StampedRead

Stamp = Tuple[int, str, int]
Overrides = Dict[str, dict]


def published_stamp(connection: Connection) -> Stamp:
    count, newest, top = connection.execute(select(
        func.count(CatalogueVersion.id), func.max(CatalogueVersion.published_at), func.max(CatalogueVersion.id))
        .where(CatalogueVersion.status == "published")).one()
    return int(count), str(newest or ""), int(top or 0)


def load_published(connection: Connection) -> Overrides:
    """Each matter's newest published content (by publication time, then id)."""
    rows = connection.execute(select(CatalogueVersion.matter_id, CatalogueVersion.content)
                              .where(CatalogueVersion.status == "published")
                              .order_by(CatalogueVersion.published_at, CatalogueVersion.id))
    out: Overrides = {}
    for matter_id, content in rows:
        out[matter_id] = json.loads(content)  # later rows win
    return out


def load_published_at(connection: Connection) -> Dict[str, Tuple[datetime, dict]]:
    """Each matter's newest published content and when it was published."""
    rows = connection.execute(select(CatalogueVersion.matter_id, CatalogueVersion.published_at,
                                     CatalogueVersion.content)
                              .where(CatalogueVersion.status == "published")
                              .order_by(CatalogueVersion.published_at, CatalogueVersion.id))
    return {matter_id: (when, json.loads(content)) for matter_id, when, content in rows}  # later rows win


class LivePublished(StampedRead[Overrides]):
    """The published overrides, re-read when a publication changed them (:mod:`knowledge.stamped`)."""

    def __init__(self, engine: Engine, check_seconds: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(engine, published_stamp, load_published, {}, "catalogue.published.unreadable",
                         check_seconds, clock)

    def current(self) -> Tuple[Optional[Stamp], Overrides]:
        overrides = self.value()
        return self.stamp, overrides  # type: ignore[return-value]


_live: Optional[LivePublished] = None


def configure(engine: Engine, check_seconds: float) -> LivePublished:
    """Make this process answer from ``engine``'s published edits (the gateway's lifespan and the
    action server call it; a process that never does answers from the YAML alone)."""
    global _live
    _live = LivePublished(engine, check_seconds)
    return _live


def unconfigure(live: Optional[LivePublished] = None) -> None:
    """Back to the YAML alone; with ``live``, only if that reader is still the process's (a
    gateway stopping does not undo what a newer one configured)."""
    global _live
    if live is None or _live is live:
        _live = None


@contextmanager
def configured(engine: Engine, check_seconds: float) -> Iterator[LivePublished]:
    """``configure`` for a block, then whatever was configured before (tests)."""
    global _live
    previous = _live
    live = configure(engine, check_seconds)
    try:
        yield live
    finally:
        _live = previous


def refresh_now() -> None:
    """Check at once (after a publication in this process: its own answers change immediately;
    other processes within the check interval)."""
    live = _live
    if live is not None:
        live.refresh()


def current() -> Tuple[Optional[Stamp], Overrides]:
    """The stamp and overrides of this process's database, or ``(None, {})`` when not configured."""
    live = _live
    return live.current() if live is not None else (None, {})
