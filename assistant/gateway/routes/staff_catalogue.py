"""``POST /staff/api/catalogue/import``: approvers import a service-matter list from the dashboard
(issue 17), with the same cleaning, report and idempotence as ``civic catalogue import``.

Order of checks: the edge limits the body's size before it is read (``CIVIC_MAX_CATALOGUE_BYTES``,
413), the session and the approver role are checked before the multipart body is parsed (no
session 401, another role 403), then the one ``file`` field is read and imported on a worker
thread. The answer is the report: counts, skipped rows and bad rows with their line numbers.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, Dict

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from assistant.errors import InputError
from assistant.gateway.deps import SessionsDep, SettingsDep
from assistant.gateway.routes.staff import CurrentApprover
from assistant.logs import log_event
from knowledge.catalogue_import.store import import_bytes

router = APIRouter(prefix="/staff/api/catalogue", tags=["staff"], include_in_schema=False)


@router.post("/import")
async def import_catalogue(request: Request, user: CurrentApprover, settings: SettingsDep,
                           sessions: SessionsDep) -> Dict[str, Any]:
    form = await request.form(max_files=1, max_fields=4, max_part_size=settings.max_catalogue_bytes)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InputError("file: a multipart field 'file' with the .xlsx, .csv or .json list is required")
        data = await upload.read(settings.max_catalogue_bytes + 1)
        if len(data) > settings.max_catalogue_bytes:
            raise InputError(f"file: larger than {settings.max_catalogue_bytes} bytes")
        name = PurePath((upload.filename or "").replace("\\", "/")).name[-200:]
    finally:
        await form.close()
    report = await run_in_threadpool(import_bytes, sessions, data, name, "staff", user)
    imported = getattr(request.app.state, "imported_catalogue", None)
    if imported is not None:
        await run_in_threadpool(imported.refresh)  # this worker answers with it at once
    log_event("staff.catalogue.imported", user=user, created=report.created, updated=report.updated,
              unchanged=report.unchanged, rejected=len(report.bad_rows))
    return report.as_dict()
