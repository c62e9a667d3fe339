"""The data interface: departments push their cases, and may read their own cases back.

``Authorization: Bearer <token>``; the token names the department (``CIVIC_DATA_TOKENS``), so a
department can only ever write and read its own cases. Another department's case is a 404, the
same answer as a case that does not exist.
"""

from __future__ import annotations

import hmac
import json
from typing import Any, Dict

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from assistant.errors import AuthError, InputError, NotFoundError
from assistant.settings import Settings
from knowledge.cases import MAX_BATCH, audit_failure, case_for_department, push_cases
from knowledge.db import read

router = APIRouter(prefix="/api/v1/data", tags=["data interface"])

EXAMPLE = [{
    "case_number": "SZ2024001234", "matter": "passport", "department": "exit_entry",
    "applicant_name": "张三", "phone": "+86 138 0013 5678", "status": "under_review",
    "submitted_at": "2024-05-06T09:30:00+08:00", "updated_at": "2024-05-08T15:00:00+08:00",
    "note": "材料齐全，正在审核",
}]


def department_for(settings: Settings, authorization: str | None) -> str:
    """The department whose token this is; compares every token in constant time."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("send Authorization: Bearer <department token>")
    found = None
    for code, expected in settings.data_tokens.items():
        if hmac.compare_digest(expected.encode(), token.strip().encode()):
            found = code
    if found is None:
        raise AuthError("unknown data token")
    return found


@router.post("/cases", openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"type": "array", "items": {"type": "object"}, "maxItems": MAX_BATCH}, "example": EXAMPLE}}}})
async def push(request: Request) -> Dict[str, Any]:
    """Upsert case records by case number. Answers the counts of created, updated, unchanged and
    rejected records, with a reason for each rejected one.

    The token is checked from the headers before a byte of the body is read (a 10 MB body
    without a token used to be read and parsed first), and the JSON is parsed off the event loop.
    """
    settings: Settings = request.app.state.settings
    department = department_for(settings, request.headers.get("authorization"))
    raw = await request.body()  # the edge has capped its size (CIVIC_MAX_DATA_PUSH_BYTES)
    try:
        records = await run_in_threadpool(json.loads, raw)
    except ValueError as err:
        raise InputError("the body is not valid JSON") from err
    sessions = request.app.state.sessions
    problem = None
    if not isinstance(records, list) or not records:
        problem = "send a non-empty JSON list of case records"
    elif len(records) > MAX_BATCH:
        problem = f"{len(records)} records in one request; the limit is {MAX_BATCH}"
    if problem:  # refused as a whole: audited like every other outcome
        await run_in_threadpool(audit_failure, sessions, department, "api", len(records) if isinstance(records, list) else 0, problem)
        raise InputError(problem)
    result = await run_in_threadpool(push_cases, sessions, department, records, "api")
    return result.as_dict()


@router.get("/cases/{case_number}", response_model=Dict[str, Any])
async def read_case(case_number: str, request: Request, authorization: str | None = Header(None)) -> JSONResponse:
    """A case of the calling department with its full history."""
    # async with one thread hop for the database (sync dependencies would cost a hop each), and
    # the dict sent as it is: FastAPI's generic encoding costs more than the lookup
    department = department_for(request.app.state.settings, authorization)
    case = await run_in_threadpool(
        read, request.app.state.engine, lambda connection: case_for_department(connection, department, case_number))
    if case is None:
        raise NotFoundError("no such case for this department")
    return JSONResponse(case)
