"""``GET /metrics``: Prometheus text format, for the holder of ``CIVIC_METRICS_TOKEN`` only.

Not public: the metrics tell what people ask about and when the services behind us fail. Access
is a bearer token rather than "loopback only" because a gateway runs behind nginx on the same
host, where every request comes from 127.0.0.1, and is scraped from another host. Fails closed:
without a token configured the endpoint answers 404 (as if absent); a missing or wrong token is
a 401 (compared in constant time). The token is checked before any work is done.
"""

from __future__ import annotations

import hmac
from typing import Optional

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from starlette.concurrency import run_in_threadpool

from assistant.errors import AuthError, NotFoundError
from assistant.gateway.routes.health import readiness_checks
from assistant.logs import log_event
from assistant.metrics import Snapshot, catalogue_version

router = APIRouter(tags=["operations"])


def check_token(expected: str, authorization: Optional[str]) -> None:
    """Pass, or raise NotFoundError (no token configured) / AuthError (missing or wrong token)."""
    if not expected:
        raise NotFoundError("not found")
    given = (authorization or "").encode("utf-8", "surrogateescape")
    if not hmac.compare_digest(given, f"Bearer {expected}".encode()):
        log_event("metrics.refused", token_given=bool(authorization))
        raise AuthError("a valid bearer token is required")


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    state = request.app.state
    check_token(state.settings.metrics_token, request.headers.get("authorization"))
    checks = await readiness_checks(state)
    if not state.settings.redis_url:
        checks.pop("redis", None)  # in-memory stores: nothing to be up or down
    try:
        catalogue, matters = await run_in_threadpool(catalogue_version)
    except Exception as err:  # a broken catalogue file: the version says so, the rest is served
        log_event("metrics.catalogue.unavailable", error=type(err).__name__)
        catalogue, matters = "unavailable", 0
    core = state.core
    snapshot = Snapshot(checks={name: not problem for name, problem in checks.items()},
                        model_version=str(getattr(core.backend, "model_version", "unknown")) if core else "none",
                        catalogue_version=catalogue, catalogue_matters=matters)
    state.metrics.sample_pools(state.pools)
    body = await run_in_threadpool(state.metrics.render, snapshot)
    return Response(body, media_type=CONTENT_TYPE_PLAIN_0_0_4)  # what every Prometheus reads
