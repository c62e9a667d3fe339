"""Liveness and readiness for load balancers and `make run`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from knowledge.db import ping

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict:
    """The process is up (says nothing about its dependencies)."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Model loaded, database and Redis reachable; 503 naming what is wrong otherwise."""
    state = request.app.state
    checks = {
        "model": await state.core.ready() if state.core else state.model_error or "model not loaded",
        "database": await run_in_threadpool(ping, state.engine),
        "redis": await run_in_threadpool(state.store.ping) if state.settings.redis_url else None,
    }
    for name, probe in getattr(state, "readiness_probes", {}).items():
        checks[name] = await run_in_threadpool(probe)
    problems = {name: problem for name, problem in checks.items() if problem}
    body = {"status": "ready" if not problems else "unavailable", "problems": problems,
            "checks": {name: "fail" if problem else "ok" for name, problem in checks.items()}}
    if not state.settings.redis_url:
        body["checks"]["redis"] = "not configured (in-memory stores)"
    body.update(getattr(state, "readiness_info", {}))
    return JSONResponse(body, status_code=200 if not problems else 503)
