"""The HTTP edge: the project's exceptions become status codes here and nowhere else."""

from __future__ import annotations

import math

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant.errors import AuthError, InputError, NotFoundError, RateLimitedError, UnavailableError
from assistant.logs import log_event

_STATUS = {InputError: 422, NotFoundError: 404, UnavailableError: 503, AuthError: 401, RateLimitedError: 429}


def _describe(error: dict) -> str:
    location = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    return f"{location}: {error.get('msg')}" if location else str(error.get("msg"))


def install(app: FastAPI) -> None:
    async def civic_error(request: Request, exc: Exception) -> JSONResponse:
        status = next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 500)
        log_event("http.error", path=request.url.path, status=status, kind=type(exc).__name__)
        retry_after = getattr(exc, "retry_after", None)  # BusyError, RateLimitedError
        headers = {"Retry-After": str(max(1, math.ceil(retry_after)))} if retry_after is not None else None
        return JSONResponse({"error": str(exc)}, status_code=status, headers=headers)

    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        log_event("http.invalid", path=request.url.path, problems=len(errors))
        return JSONResponse(
            {"error": "; ".join(_describe(e) for e in errors), "detail": errors},
            status_code=422,
        )

    for kind in _STATUS:
        app.add_exception_handler(kind, civic_error)
    app.add_exception_handler(RequestValidationError, validation_error)
