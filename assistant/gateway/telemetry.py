"""The outermost layer of the gateway: a request id for every request, and its latency.

Outside the edge limits on purpose: a request refused with 429 or 413 still gets an id (its log
line carries it) and is measured, under the route it was meant for. The latency runs until the
last byte of the body is handed to the server, so a streamed answer (speech) is timed whole.
"""

from __future__ import annotations

import time
from typing import Any, Optional

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant import request_id

_HEADER = request_id.HEADER.lower().encode("latin-1")


def route_of(scope: Scope) -> str:
    """The route template (``/api/v1/matters/{matter_id}``, never the raw path: one series per
    route, whatever ids people send); ``unmatched`` for paths no route serves."""
    route: Any = scope.get("route")
    if route is not None and getattr(route, "path", None):
        return str(route.path)
    app = scope.get("app")
    for candidate in getattr(getattr(app, "router", None), "routes", ()):
        match, _ = candidate.matches(scope)
        if match == Match.FULL:
            return str(getattr(candidate, "path", "unmatched") or "unmatched")
    return "unmatched"


def _given_id(scope: Scope) -> Optional[str]:
    for name, value in scope.get("headers") or ():
        if name == _HEADER:
            return value.decode("latin-1")
    return None


class RequestTelemetry:
    """Bind the request id (``X-Request-ID`` if acceptable, else a new one), answer with it, and
    record the request's latency in the app's metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id.accept_or_new(_given_id(scope))
        token = request_id.bind(rid)
        started = time.perf_counter()
        status = 500  # what the server answers when the app raises before starting a response

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", ()), (_HEADER, rid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            metrics = getattr(scope["app"].state, "metrics", None)
            if metrics is not None:
                metrics.observe_request(route_of(scope), scope["path"], scope["method"], status,
                                        time.perf_counter() - started)
            request_id.reset(token)
