"""The HTTP edge: the project's exceptions become status codes here and nowhere else."""

from __future__ import annotations

import math

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis import exceptions as redis_errors
from sqlalchemy import exc as db_errors

from assistant.errors import (AuthError, ForbiddenError, InputError, NotFoundError, RateLimitedError,
                             TurnUnavailableError, UnavailableError)
from assistant.gateway.schemas import ChatResponse
from assistant.logs import log_event

_STATUS = {InputError: 422, NotFoundError: 404, UnavailableError: 503, AuthError: 401, RateLimitedError: 429,
           ForbiddenError: 403}

#: A dependency's own "cannot reach it" errors that got to the edge: the service is unavailable
#: (503, try again), not broken (500). The message is fixed: a driver's text names hosts and ports.
_DEPENDENCY_DOWN = {
    db_errors.OperationalError: "the database is unavailable; please try again shortly",
    db_errors.InterfaceError: "the database is unavailable; please try again shortly",
    db_errors.TimeoutError: "the database is busy; please try again shortly",
    redis_errors.ConnectionError: "the shared store is unavailable; please try again shortly",
    redis_errors.TimeoutError: "the shared store is unavailable; please try again shortly",
}
RETRY_AFTER = {"Retry-After": "30"}


def _describe(error: dict) -> str:
    location = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    return f"{location}: {error.get('msg')}" if location else str(error.get("msg"))


def install(app: FastAPI) -> None:
    async def civic_error(request: Request, exc: Exception) -> JSONResponse:
        status = next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 500)
        log_event("http.error", path=request.url.path, status=status, kind=type(exc).__name__)
        retry_after = getattr(exc, "retry_after", None)  # BusyError, RateLimitedError
        headers = ({"Retry-After": str(max(1, math.ceil(retry_after)))} if retry_after is not None
                   else RETRY_AFTER if status == 503 else None)
        body = {"error": str(exc)}
        fields = getattr(exc, "fields", None)  # a catalogue draft's problems, per field (issue 17)
        if isinstance(fields, dict):
            body["fields"] = fields
        return JSONResponse(body, status_code=status, headers=headers)

    async def turn_unavailable(request: Request, exc: TurnUnavailableError) -> JSONResponse:
        """The chat shape with the apology as its reply, so a page shows it like any answer."""
        log_event("http.error", path=request.url.path, status=503, kind=type(exc.__cause__ or exc).__name__)
        body = {"error": "the assistant is temporarily unavailable",
                **ChatResponse.from_result(exc.result).dict()}  # type: ignore[arg-type]
        return JSONResponse(body, status_code=503, headers=RETRY_AFTER)

    async def dependency_down(request: Request, exc: Exception) -> JSONResponse:
        message = next(text for kind, text in _DEPENDENCY_DOWN.items() if isinstance(exc, kind))
        log_event("http.unavailable", path=request.url.path, kind=type(exc).__name__)
        return JSONResponse({"error": message}, status_code=503, headers=RETRY_AFTER)

    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        log_event("http.invalid", path=request.url.path, problems=len(errors))
        return JSONResponse(
            {"error": "; ".join(_describe(e) for e in errors), "detail": errors},
            status_code=422,
        )

    for kind in _STATUS:
        app.add_exception_handler(kind, civic_error)
    app.add_exception_handler(TurnUnavailableError, turn_unavailable)
    for kind in _DEPENDENCY_DOWN:
        app.add_exception_handler(kind, dependency_down)
    app.add_exception_handler(RequestValidationError, validation_error)
