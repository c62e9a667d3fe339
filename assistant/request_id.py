"""The request id: one short token per request, in every log line of every process it touches.

The gateway takes a caller's ``X-Request-ID`` (a load balancer's, or a client's) when it is well
formed and short, and makes one otherwise; it answers with it in the same header, puts it in the
turn's Rasa metadata, and the action server reads it back from the tracker (the message's
metadata travels with every action call, whether the agent runs in the gateway or in a separate
``rasa run``). So one grep finds a turn in the gateway's and the action server's logs.

The id lives in a context variable: every ``log_event`` of the request, in the route, a thread
from ``run_in_threadpool`` or the Rasa agent's loop, adds ``rid=...`` without being told.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token
from typing import Optional

HEADER = "X-Request-ID"
#: Letters, digits and ``. _ -``, 8 to 64 of them: UUIDs, ULIDs, nginx's ``$request_id``, trace ids.
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

_CURRENT: ContextVar[Optional[str]] = ContextVar("civic_request_id", default=None)


def acceptable(value: Optional[str]) -> bool:
    """Whether a caller's id may be used as it is: well formed, short, and nothing the redactor
    would remove (a caller must not be able to write a phone number into our logs as an "id")."""
    if not value or not _WELL_FORMED.fullmatch(value):
        return False
    from analytics.redact import redact

    return redact(value) == value


#: Letters only, without ``y``: no digits, so no phone, ID, card or case number, and no ``yy``, so no
#: booking code. A made id never needs the redactor's check (about 60 µs, measured) on every request.
_ALPHABET = "abcdefghijkmnopqrstuvwxz"
_LENGTH = 22  # 24 ** 22 > 2 ** 100 possible ids; drawn from a UUID4's 122 random bits


def new_request_id() -> str:
    """A fresh id: 22 lower-case letters from a random UUID (unique enough to grep by)."""
    number = uuid.uuid4().int
    letters = []
    for _ in range(_LENGTH):
        number, index = divmod(number, len(_ALPHABET))
        letters.append(_ALPHABET[index])
    return "".join(letters)


def accept_or_new(value: Optional[str]) -> str:
    """The caller's id when :func:`acceptable`, else a new one."""
    return value if value is not None and acceptable(value) else new_request_id()


def current() -> Optional[str]:
    """The id of the request being handled here, or ``None`` outside a request."""
    return _CURRENT.get()


def bind(request_id: Optional[str]) -> "Token[Optional[str]]":
    """Make ``request_id`` the current one (``None`` clears it); give the token to :func:`reset`."""
    return _CURRENT.set(request_id)


def reset(token: "Token[Optional[str]]") -> None:
    _CURRENT.reset(token)
