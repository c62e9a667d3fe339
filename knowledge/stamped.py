"""A value read from the database again only when a cheap stamp says it changed.

Every gateway worker and the action server must notice an import or a publication within seconds,
without reading the whole list on every turn: a stamp query (counts, newest times) is checked at
most every ``check_seconds`` and the value is re-read only when the stamp moved. A database that
cannot be read keeps the last value: the assistant keeps answering from what it knew.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Generic, Optional, TypeVar

from sqlalchemy.engine import Connection, Engine

from knowledge.db import read

T = TypeVar("T")


class StampedRead(Generic[T]):
    def __init__(self, engine: Engine, stamp: Callable[[Connection], object], load: Callable[[Connection], T],
                 empty: T, event: str, check_seconds: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._engine = engine
        self._stamp_query, self._load, self._event = stamp, load, event
        self._check_seconds = check_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._stamp: Optional[object] = None
        self._value: T = empty
        self._checked_at = float("-inf")

    @property
    def stamp(self) -> Optional[object]:
        return self._stamp

    def value(self) -> T:
        """The current value (a fresh check when the last one is older than the interval)."""
        if self._clock() - self._checked_at >= self._check_seconds:
            self.refresh()
        return self._value

    def refresh(self) -> bool:
        """Check the stamp now; ``True`` when the value was re-read."""
        with self._lock:
            self._checked_at = self._clock()
            try:
                stamp = read(self._engine, self._stamp_query)
                if stamp == self._stamp:
                    return False
                self._value = read(self._engine, self._load)
                self._stamp = stamp
                return True
            except Exception as err:  # noqa: BLE001 - database down or not migrated: keep what we had
                from assistant.logs import log_event

                log_event(self._event, error=type(err).__name__)
                return False
