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
"""

from __future__ import annotations

import hmac
import json
import zlib
from typing import Optional

from assistant.errors import ConfigError
from assistant.logs import log_event
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
        utils.check_version_compatibility(action_call.get("version"))
        try:
            result = await executor.run(action_call)
        except ActionExecutionRejection as err:
            return response.json({"error": err.message, "action_name": err.action_name}, status=400)
        except ActionNotFoundException as err:
            return response.json({"error": err.message, "action_name": err.action_name}, status=404)
        return response.json(result)

    @app.exception(Exception)
    async def failed(request, exception):  # type: ignore[no-untyped-def]
        log_event("actions.error", path=request.path[:64], error=type(exception).__name__)
        status = getattr(exception, "status_code", 500)
        return response.json({"error": type(exception).__name__}, status=status if 400 <= status < 600 else 500)

    return app


def serve(settings: Settings) -> None:
    """Run the action server in this process (``civic actions``)."""
    from rasa_sdk import utils

    app = create_action_app(settings)
    log_event("actions.start", host=settings.action_host, port=settings.action_port)
    app.run(settings.action_host, settings.action_port, workers=utils.number_of_sanic_workers(),
            access_log=False)
