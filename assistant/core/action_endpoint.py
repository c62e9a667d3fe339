"""The action server as the in-process agent calls it, each failed call remembered for the turn.

Rasa catches a custom action's failure (server down, timeout, a 5xx), logs it and carries on with
the action's events lost: the person gets an empty answer with a 200. Rasa offers no hook for
that, but every call goes through the action endpoint's ``request``; this endpoint notes each
failure in the running turn's list (a context variable, so concurrent turns on the agent's loop
keep their own), and the backend then answers "unavailable" instead of nothing.

Imports Rasa: load it only where the agent is loaded.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, List, Optional

from rasa.utils.endpoints import ClientResponseError, EndpointConfig

_FAILURES: ContextVar[Optional[List[str]]] = ContextVar("civic_action_failures", default=None)


def watch_turn() -> List[str]:
    """Start noting action failures for the turn running in this task; returns the (live) list."""
    failures: List[str] = []
    _FAILURES.set(failures)
    return failures


class WatchedActionEndpoint(EndpointConfig):
    """``EndpointConfig`` whose failed requests are noted; a 400 is a form's rejection, not one."""

    #: who answers the calls, as the turn's failure says it
    served_by = "action server"

    async def request(self, *args: Any, **kwargs: Any) -> Optional[Any]:
        try:
            return await self.send(*args, **kwargs)
        except ClientResponseError as err:
            if err.status != 400:
                _note(f"{self.served_by} answered {err.status}")
            raise
        except Exception as err:  # connection refused, reset, timeout: all mean "not served"
            _note(f"{self.served_by} unreachable: {type(err).__name__}")
            raise

    async def send(self, *args: Any, **kwargs: Any) -> Optional[Any]:
        """The call itself: Rasa's HTTP request to the action server (``inprocess_actions``
        answers it in this process instead)."""
        return await super().request(*args, **kwargs)

    def close(self) -> None:
        """Nothing to release: Rasa opens an HTTP session per call."""


def _note(problem: str) -> None:
    failures = _FAILURES.get()
    if failures is not None:
        failures.append(problem)
