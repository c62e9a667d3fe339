"""The catalogue editor on the staff dashboard (issue 17): ``/staff/editor`` and
``/staff/api/editor/*``.

Editors and approvers read every matter's versions and save drafts; only approvers publish and
roll back (no session 401, another role 403). The session and the role are checked before the
body is read, then the JSON is parsed and validated here, and the draft's content by the catalogue
schema, whose problems come back per field (``{"error", "fields": {"fees.zh": ...}}``, 422). Like
every staff route these take ``application/json`` only and the cookie is SameSite=Strict, so a
page on another site cannot post here. Each step is written to the audit table and the log.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Optional

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import BaseModel, Extra, Field, ValidationError
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from analytics import accounts
from assistant.errors import InputError
from assistant.gateway.deps import SessionsDep
from assistant.gateway.routes.staff import (PAGE_HEADERS, WEB, CurrentApprover, CurrentStaff, current_user,
                                            ensure_tables)
from assistant.logs import log_event
from knowledge import editor, published
from knowledge.catalogue import field_path, get_catalogue
from knowledge.catalogue_models import CatalogueMatter
from knowledge.editor_models import CatalogueVersion

router = APIRouter(tags=["staff"], include_in_schema=False)
API = "/staff/api/editor"


class DraftIn(BaseModel):
    """A draft: the matter's whole content (the schema of ``knowledge/catalogue/*.yaml``)."""

    content: Dict[str, Any]
    note: str = Field("", max_length=300)
    based_on: Optional[int] = Field(None, ge=0)
    faq_fingerprint: Optional[str] = Field(None, regex=r"^[A-Za-z0-9]{16}$")

    class Config:
        extra = Extra.forbid


async def _body(request: Request, model: type) -> Any:
    """The JSON body as ``model``, read only now (after the session and role were checked)."""
    raw = await request.body()
    try:
        data = json.loads(raw or b"null")
    except ValueError as err:
        raise InputError("body: not valid JSON") from err
    try:
        return model.parse_obj(data)
    except ValidationError as err:
        fields = {field_path(e["loc"]): e["msg"] for e in err.errors()}
        raise editor.ContentError(fields) from err


def _matter_id(sessions: Any, matter_id: str) -> str:
    """404 for an id that is neither a hand-written nor an imported matter."""
    if len(matter_id) > 40:
        raise InputError("matter id: at most 40 characters")
    with sessions() as session:
        editor.kind_of(session, matter_id)
    return matter_id


def _in_session(sessions: Any, work: Callable[..., Any], **kwargs: Any) -> Any:
    with sessions.begin() as session:
        return work(session, **kwargs)


def _apply_now(request: Request) -> None:
    """This worker answers with the new content at once (its cached indexes rebuilt now, not at
    the next turn); the other workers and the action server within the check interval."""
    published.refresh_now()
    get_catalogue()
    imported = getattr(request.app.state, "imported_catalogue", None)
    if imported is not None:
        imported.refresh()


@router.get("/staff/editor", response_model=None)
def editor_page(request: Request) -> Response:
    if current_user(request) is None:
        return RedirectResponse("/staff/login", status_code=303)
    return FileResponse(WEB / "editor.html", headers=PAGE_HEADERS)


@router.get(f"{API}/role")
def role(request: Request, sessions: SessionsDep, user: CurrentStaff) -> Dict[str, Any]:
    with sessions() as session:
        found = accounts.role_of(session, user)
    return {"user": user, "role": found, "can_publish": found == "approver"}


@router.get(f"{API}/matters")
def matters(request: Request, sessions: SessionsDep, user: CurrentStaff) -> List[Dict[str, Any]]:
    """Every matter staff can edit: the hand-written ones, then the imported list by code."""
    ensure_tables(request.app.state.engine)
    live = get_catalogue()
    with sessions() as session:
        numbers = dict(session.execute(
            select(CatalogueVersion.matter_id, func.max(CatalogueVersion.number))
            .where(CatalogueVersion.status == "published").group_by(CatalogueVersion.matter_id)).all())
        out = [{"id": matter_id, "kind": "catalogue", "name": {"zh": m.name.zh, "en": m.name.en},
                "versions": numbers.get(matter_id, 0)} for matter_id, m in live.matters.items()]
        rows = session.execute(select(CatalogueMatter.id, CatalogueMatter.name_zh, CatalogueMatter.name_en)
                               .order_by(CatalogueMatter.code))
        out += [{"id": r.id, "kind": "imported", "name": {"zh": r.name_zh, "en": r.name_en},
                 "versions": numbers.get(r.id, 0)} for r in rows if r.id not in live.matters]
        return out


@router.get(API + "/matters/{matter_id}")
def matter(matter_id: str, sessions: SessionsDep, user: CurrentStaff) -> Dict[str, Any]:
    _matter_id(sessions, matter_id)
    with sessions() as session:
        current = editor.live(session, matter_id)
        number = current.number if current else 0
        return {"id": matter_id, "kind": editor.kind_of(session, matter_id), "live": number,
                "content": editor.content_of(session, matter_id, number),
                "versions": editor.history(session, matter_id), "audit": editor.audit_trail(session, matter_id)}


@router.get(API + "/matters/{matter_id}/versions/{number}")
def version(matter_id: str, number: int, sessions: SessionsDep, user: CurrentStaff) -> Dict[str, Any]:
    _matter_id(sessions, matter_id)
    with sessions() as session:
        return {"id": matter_id, "number": number, "content": editor.content_of(session, matter_id, number)}


@router.get(API + "/matters/{matter_id}/diff")
def diff(matter_id: str, sessions: SessionsDep, user: CurrentStaff, old: int, new: int) -> Dict[str, Any]:
    _matter_id(sessions, matter_id)
    if old < 0 or new < 0:
        raise InputError("old, new: version numbers are 0 or more")
    with sessions() as session:
        changes = editor.diff(editor.content_of(session, matter_id, old), editor.content_of(session, matter_id, new))
    return {"id": matter_id, "old": old, "new": new, "changes": changes}


@router.post(API + "/matters/{matter_id}/drafts")
async def save_draft(matter_id: str, request: Request, sessions: SessionsDep, user: CurrentStaff) -> Dict[str, Any]:
    await run_in_threadpool(_matter_id, sessions, matter_id)  # blocking work off the event loop
    body: DraftIn = await _body(request, DraftIn)
    row = await run_in_threadpool(_in_session, sessions, editor.save_draft, matter_id=matter_id,
                                  content=body.content, user=user, note=body.note, based_on=body.based_on,
                                  faq_fingerprint=body.faq_fingerprint)
    log_event("staff.catalogue.draft", user=user, matter=matter_id, version=row.number)
    return {"id": matter_id, "number": row.number, "status": row.status}


@router.post(API + "/matters/{matter_id}/versions/{number}/publish")
def publish(matter_id: str, number: int, request: Request, sessions: SessionsDep, user: CurrentApprover) -> Dict[str, Any]:
    _matter_id(sessions, matter_id)
    row = _in_session(sessions, editor.publish, matter_id=matter_id, number=number, user=user)
    _apply_now(request)
    log_event("staff.catalogue.published", user=user, matter=matter_id, version=number)
    return {"id": matter_id, "number": row.number, "status": row.status, "published_at": row.published_at.isoformat() + "Z"}


@router.post(API + "/matters/{matter_id}/versions/{number}/rollback")
def rollback(matter_id: str, number: int, request: Request, sessions: SessionsDep, user: CurrentApprover) -> Dict[str, Any]:
    _matter_id(sessions, matter_id)
    row = _in_session(sessions, editor.rollback, matter_id=matter_id, number=number, user=user)
    _apply_now(request)
    log_event("staff.catalogue.rolled_back", user=user, matter=matter_id, to=number, version=row.number)
    return {"id": matter_id, "number": row.number, "status": row.status, "based_on": number}
