"""The gateway's edge: limits checked before any work is done for a request.

Measured on main before this module: a 10 MB JSON body without a token to
``POST /api/v1/data/cases`` held every route, ``/healthz`` included, for 6 s (50 MB: 41 s),
because the body was read and parsed before anything else. Now, per route and in this order:

1. the client's rate (per address, shared through Redis; per worker while Redis is down): 429 with
   Retry-After;
2. the body's type: a JSON endpoint takes ``application/json`` only (415 otherwise), so a page
   on another site cannot drive the API with a "simple" cross-origin ``text/plain`` or form POST;
3. the declared ``Content-Length`` against the route's limit: 413 before a byte is read;
4. for speech, a place in its worker pool: 503 with Retry-After before the upload is read;
5. while the body is read, the bytes are counted: past the limit, 413 and nothing more is read.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Tuple

from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import UnavailableError
from assistant.logs import log_event
from assistant.ratelimit import MemoryRateLimiter, Rate

BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class RoutePolicy:
    """What a group of paths accepts. ``body`` names a settings field holding the byte limit."""

    name: str
    body: str = "max_body_bytes"
    json_only: bool = False
    multipart: bool = False
    rate: Optional[Rate] = None  # per client address
    in_flight: Optional[int] = None  # requests of one client address at once (per worker)
    pool: Optional[str] = None  # refuse before reading when this pool is full


#: A person types a message every few seconds and waits for the answer; a script sends ten at
#: once. Turns share one Rasa thread, so a tight window and two turns in flight per address keep
#: everyone else's answers quick (bench/abuse.py, lockout: chat p95 1.8 s with ten at once).
CHAT_RATE = Rate(12, 30)

#: First matching prefix wins. Rates are per client address and generous for a person, tight
#: for a script: a kiosk hall behind one address can be exempted (CIVIC_RATE_LIMIT_EXEMPT).
POLICIES: Sequence[Tuple[str, RoutePolicy]] = (
    ("/api/v1/data/", RoutePolicy("data", "max_data_push_bytes", json_only=True, rate=Rate(120, 60))),
    ("/api/v1/stt", RoutePolicy("stt", "max_upload_bytes", json_only=True, multipart=True,
                                rate=Rate(20, 60), pool="speech")),
    ("/api/v1/voice", RoutePolicy("voice", "max_upload_bytes", json_only=True, multipart=True,
                                  rate=Rate(20, 60), pool="speech")),
    ("/api/v1/tts", RoutePolicy("tts", json_only=True, rate=Rate(30, 60), pool="tts")),
    ("/api/v1/chat", RoutePolicy("chat", json_only=True, rate=CHAT_RATE, in_flight=2)),
    ("/api/v1/kiosk/chat", RoutePolicy("chat", json_only=True, rate=CHAT_RATE, in_flight=2)),
    ("/webhooks/", RoutePolicy("chat", json_only=True, rate=CHAT_RATE, in_flight=2)),
    ("/api/", RoutePolicy("api", json_only=True, rate=Rate(300, 60))),
    ("/staff/login", RoutePolicy("login", json_only=True, rate=Rate(20, 300), pool="login")),
    ("/staff/api/catalogue/import", RoutePolicy("catalogue_import", "max_catalogue_bytes", json_only=True,
                                                multipart=True, rate=Rate(30, 300))),
    ("/staff/", RoutePolicy("staff", json_only=True)),
    ("/channels/", RoutePolicy("channels")),  # WeChat's servers: XML, few addresses for every follower
    ("/readyz", RoutePolicy("readyz", rate=Rate(120, 60))),
    ("/metrics", RoutePolicy("metrics", rate=Rate(120, 60))),  # a scraper every few seconds at most
)
DEFAULT = RoutePolicy("default")


def policy_for(path: str) -> RoutePolicy:
    return next((policy for prefix, policy in POLICIES if path.startswith(prefix)), DEFAULT)


class BodyTooLarge(Exception):
    """Raised inside the wrapped ``receive`` once the limit is passed."""


def _problem(status: int, message: str, retry_after: Optional[float] = None) -> JSONResponse:
    headers = {"Retry-After": str(max(1, math.ceil(retry_after)))} if retry_after is not None else None
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _exempt(client: str, networks: Sequence[str]) -> bool:
    for network in networks:
        try:
            if client == network or ipaddress.ip_address(client) in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:  # "testclient", a host name: compared as text above
            continue
    return False


def _json_type(content_type: str, multipart: bool) -> bool:
    main = content_type.split(";", 1)[0].strip().lower()
    if main == "application/json" or (main.startswith("application/") and main.endswith("+json")):
        return True
    return multipart and main == "multipart/form-data"


class EdgeLimits:
    """Rate, type, size and pool checks before the route runs (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._in_flight: Dict[Tuple[str, str], int] = {}  # only touched on the event loop
        # While Redis is down each worker counts on its own: still limited (never unlimited), and
        # the route itself answers its polite 503 (the chat's apology with the hotline).
        self._fallback = MemoryRateLimiter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        settings = state.settings
        policy = policy_for(scope["path"])
        refusal = await self._refusal(scope, state, settings, policy)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        limit = int(getattr(settings, policy.body))
        client = (scope.get("client") or ("unknown", 0))[0]
        if policy.in_flight is None or _exempt(client, settings.rate_limit_exempt) or not settings.rate_limits:
            await self._counted(scope, receive, send, limit, policy)
            return
        key = (policy.name, client)
        if self._in_flight.get(key, 0) >= policy.in_flight:
            log_event("edge.too_many_at_once", route=policy.name)
            await _problem(429, "one request at a time, please", 1)(scope, receive, send)
            return
        self._in_flight[key] = self._in_flight.get(key, 0) + 1
        try:
            await self._counted(scope, receive, send, limit, policy)
        finally:
            self._in_flight[key] -= 1
            if not self._in_flight[key]:
                del self._in_flight[key]

    async def _refusal(self, scope: Scope, state, settings, policy: RoutePolicy) -> Optional[JSONResponse]:  # type: ignore[no-untyped-def]
        client = (scope.get("client") or ("unknown", 0))[0]
        if policy.rate is not None and settings.rate_limits and not _exempt(client, settings.rate_limit_exempt):
            limiter = state.limiter
            key = f"ip:{policy.name}:{client}"
            try:
                if limiter.blocking:
                    decision = await state.pools["io"].run(limiter.hit, key, policy.rate)
                else:
                    decision = limiter.hit(key, policy.rate)
            except UnavailableError as err:  # Redis down: count in this worker, never unlimited
                log_event("edge.limiter.unavailable", error=type(err).__name__)
                decision = self._fallback.hit(key, policy.rate)
            if not decision.allowed:
                log_event("edge.rate_limited", route=policy.name)
                return _problem(429, f"too many requests; try again in {math.ceil(decision.retry_after)} s",
                                decision.retry_after)
        headers = dict(scope["headers"])
        if scope["method"] in BODY_METHODS and policy.json_only:
            content_type = headers.get(b"content-type", b"").decode("latin-1")
            has_body = headers.get(b"content-length", b"0") not in (b"0", b"") or b"transfer-encoding" in headers
            if (content_type or has_body) and not _json_type(content_type, policy.multipart):
                return _problem(415, "send the body as application/json"
                                + (" or multipart/form-data" if policy.multipart else ""))
        limit = int(getattr(settings, policy.body))
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                return _problem(400, "bad Content-Length")
            if too_big:
                log_event("edge.body_too_large", route=policy.name, declared=int(declared))
                return _problem(413, f"the body is larger than {limit} bytes")
        if policy.pool is not None and scope["method"] in BODY_METHODS and state.pools[policy.pool].full:
            pool = state.pools[policy.pool]
            log_event("edge.pool_full", pool=policy.pool)
            return _problem(503, f"the {pool.name} service is busy; try again shortly", pool.retry_after)
        return None

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int, policy: RoutePolicy) -> None:
        """Pass the request on, counting body bytes; past ``limit`` answer 413 and stop reading."""
        received = 0
        refused = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    log_event("edge.body_too_large", route=policy.name, read=received)
                    if not started:
                        await _problem(413, f"the body is larger than {limit} bytes")(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent; whatever the route says after it is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except ClientDisconnect:
            if not refused:  # a real hang-up: nobody to answer
                raise
