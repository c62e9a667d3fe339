"""Who wants to know when a case changes status (the WeChat helper sends a template message).

A tiny in-process registry: ``on_status_change(callback)`` subscribes; :func:`publish` is called
by :mod:`knowledge.cases` after the push committed, so a callback never sees a change that was
rolled back. A failing callback is logged and never breaks the push or the other callbacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, List, Optional

from assistant.logs import log_event


@dataclass(frozen=True)
class StatusChange:
    case_number: str
    department: str
    old_status: Optional[str]  # None when the case was just created
    new_status: str
    matter: str = ""


StatusCallback = Callable[[StatusChange], None]
_callbacks: List[StatusCallback] = []


def on_status_change(callback: StatusCallback) -> StatusCallback:
    """Subscribe (usable as a decorator); subscribing the same callback twice is a no-op."""
    if callback not in _callbacks:
        _callbacks.append(callback)
    return callback


def remove(callback: StatusCallback) -> None:
    if callback in _callbacks:
        _callbacks.remove(callback)


def publish(changes: Iterable[StatusChange]) -> None:
    for change in changes:
        for callback in list(_callbacks):
            try:
                callback(change)
            except Exception as err:  # one bad subscriber must not hide the change from others
                log_event("case_events.callback_failed", callback=getattr(callback, "__name__", "?"),
                          error=type(err).__name__)
