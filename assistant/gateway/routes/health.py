"""Liveness and readiness for load balancers and `make run`."""

from __future__ import annotations

from typing import Dict, Optional

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from assistant.logs import log_event
from knowledge.db import ping

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict:
    """The process is up (says nothing about its dependencies). ``async`` on purpose: it needs
    no thread, so it answers even when every thread of the default pool is busy."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Model loaded, database and Redis reachable; 503 naming what is wrong otherwise."""
    state = request.app.state
    checks = await readiness_checks(state)
    problems = {name: problem for name, problem in checks.items() if problem}
    body = {"status": "ready" if not problems else "unavailable",
            "problems": {name: "unavailable" for name in problems},  # detail in the log only
            "checks": {name: "fail" if problem else "ok" for name, problem in checks.items()}}
    if not state.settings.redis_url:
        body["checks"]["redis"] = "not configured (in-memory stores)"
    body.update({name: public_view(name, info) for name, info in getattr(state, "readiness_info", {}).items()})
    return JSONResponse(body, status_code=200 if not problems else 503)


async def readiness_checks(state) -> Dict[str, Optional[str]]:  # type: ignore[no-untyped-def]
    """Each check by name (``model``, ``database``, ``redis``, ``actions``…) -> ``None`` when it
    passes, else the problem; shared by ``/readyz`` and the metrics' ``civic_dependency_up``.
    Redis is ``None`` when not configured. A change is logged once with its detail."""
    checks: Dict[str, Optional[str]] = {
        "model": await state.core.ready() if state.core else state.model_error or "model not loaded",
        "database": await run_in_threadpool(ping, state.engine),
        "redis": await run_in_threadpool(state.store.ping) if state.settings.redis_url else None,
    }
    for name, probe in getattr(state, "readiness_probes", {}).items():
        checks[name] = await run_in_threadpool(probe)
    _log_changes(state, {name: problem for name, problem in checks.items() if problem})
    return checks


def public_view(name: str, info: object) -> object:
    """What anyone may read of a readiness section: which engines work, never why not (error
    texts name hosts, ports and paths). The pages read ``voice.tts`` and ``voice.stt``."""
    if name != "voice" or not isinstance(info, dict):
        return "see the gateway log" if isinstance(info, dict) and "error" in info else info
    stt = info.get("stt") if isinstance(info.get("stt"), dict) else {}
    return {"tts": info.get("tts"), "tts_engines": info.get("tts_engines"), "cache": info.get("cache"),
            "stt": {k: v for k, v in stt.items() if k != "problem"}}


def _log_changes(state, problems: dict) -> None:  # type: ignore[no-untyped-def]
    """Log the full detail once per change, for operators; the HTTP answer keeps it out."""
    if problems != getattr(state, "readiness_logged", None):
        state.readiness_logged = dict(problems)
        for name, problem in problems.items():
            log_event("gateway.unready", check=name, problem=str(problem)[:300])
