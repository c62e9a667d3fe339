"""The catalogue editor's rules (issue 17): drafts, publication, rollback, history and diffs of a
matter's content, each step audited; for the hand-written matters and the imported ones alike.

Editors save drafts; approvers publish them (the role is checked at the HTTP edge). A draft is
validated by the schema its kind of matter is loaded with (:class:`knowledge.catalogue.Matter`
for the YAML files, :class:`knowledge.imported_content.ImportedContent` for the imported list),
so staff cannot publish what would not load, and the error names each bad field. Version 0 is the
shipped YAML or the last import; a rollback is a new version equal to an old one, published at once, so the history only
grows and always says who told the public what, and when. Functions take the session from the
caller (inside ``sessions.begin()``) and never commit themselves.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Optional

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.errors import InputError, NotFoundError
from knowledge.catalogue import Matter, field_path, shipped_catalogue
from knowledge.catalogue_models import CatalogueMatter
from knowledge.editor_models import CatalogueEditEvent, CatalogueVersion

Content = Dict[str, Any]


class ContentError(InputError):
    """A draft breaks the schema; ``fields`` maps each bad field (``fees.zh``) to what is wrong."""

    def __init__(self, fields: Dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in fields.items()))
        self.fields = fields


class ConflictError(InputError):
    """The step does not fit the version's state (publishing what is already published)."""


KINDS = ("catalogue", "imported")


def shipped_content(matter_id: str) -> Content:
    """Version 0 of a hand-written matter: the matter as the YAML file says."""
    return json.loads(shipped_catalogue().matter(matter_id).json())


def kind_of(session: Session, matter_id: str) -> str:
    """``catalogue`` (a YAML matter) or ``imported`` (a matter of the city's list); 404 otherwise."""
    if matter_id in shipped_catalogue().matters:
        return "catalogue"
    if session.get(CatalogueMatter, matter_id) is not None:
        return "imported"
    raise NotFoundError(f"no service matter with id {matter_id!r}")


def base_content(session: Session, matter_id: str) -> Content:
    """Version 0: the YAML file, or the matter as last imported."""
    if kind_of(session, matter_id) == "catalogue":
        return shipped_content(matter_id)
    from knowledge.imported import load_import
    from knowledge.imported_content import content_of as imported_content

    return imported_content(load_import(session.connection())[matter_id])


def _problems(err: ValidationError) -> Dict[str, str]:
    fields: Dict[str, str] = {}
    for error in err.errors():
        fields.setdefault(field_path(error["loc"]), error["msg"])
    return fields


def validate(matter_id: str, content: Any, kind: str = "catalogue") -> str:
    """The content as the schema of its kind normalises it (JSON), or :class:`ContentError`
    naming every bad field."""
    if not isinstance(content, dict):
        raise ContentError({"content": "must be an object with the matter's fields"})
    if kind == "imported":
        from knowledge.imported_content import ImportedContent

        try:
            return ImportedContent.parse_obj(content).json()
        except ValidationError as err:
            raise ContentError(_problems(err)) from err
    try:
        matter = Matter.parse_obj(content)
    except ValidationError as err:
        raise ContentError(_problems(err)) from err
    if matter.id != matter_id:
        raise ContentError({"id": f"must stay {matter_id!r}"})
    return matter.json()


def _audit(session: Session, user: str, action: str, matter_id: str, number: Optional[int],
           detail: str = "") -> None:
    session.add(CatalogueEditEvent(at=datetime.utcnow(), user=user, action=action, matter_id=matter_id,
                                   number=number, detail=detail[:300]))


def _add(session: Session, row: CatalogueVersion) -> None:
    """Keep a new version; two saves of one matter at the same moment cannot share a number."""
    session.add(row)
    try:
        session.flush()
    except IntegrityError as err:
        raise ConflictError(f"another version of {row.matter_id} was saved at the same moment; save again") from err


def _next_number(session: Session, matter_id: str) -> int:
    top = session.execute(select(func.max(CatalogueVersion.number))
                          .where(CatalogueVersion.matter_id == matter_id)).scalar()
    return int(top or 0) + 1


def _version(session: Session, matter_id: str, number: int) -> CatalogueVersion:
    found = session.execute(select(CatalogueVersion).where(CatalogueVersion.matter_id == matter_id,
                                                           CatalogueVersion.number == number)).scalar_one_or_none()
    if found is None:
        raise NotFoundError(f"{matter_id} has no version {number}")
    return found


def live(session: Session, matter_id: str) -> Optional[CatalogueVersion]:
    """The published version the assistant answers from (``None``: version 0, the shipped YAML,
    or the import when the list was imported again after the newest publication)."""
    row = session.execute(select(CatalogueVersion).where(
        CatalogueVersion.matter_id == matter_id, CatalogueVersion.status == "published")
        .order_by(CatalogueVersion.published_at.desc(), CatalogueVersion.id.desc()).limit(1)).scalar_one_or_none()
    imported = session.get(CatalogueMatter, matter_id) if matter_id not in shipped_catalogue().matters else None
    if row is not None and imported is not None and row.published_at < imported.published_at:
        return None
    return row


def content_of(session: Session, matter_id: str, number: int) -> Content:
    """A version's content; 0 is the shipped YAML or the last import."""
    if number == 0:
        return base_content(session, matter_id)
    kind_of(session, matter_id)  # NotFoundError for an id that is not a matter
    return json.loads(_version(session, matter_id, number).content)


def save_draft(session: Session, *, matter_id: str, content: Any, user: str, note: str = "",
               based_on: Optional[int] = None, faq_fingerprint: Optional[str] = None) -> CatalogueVersion:
    """Validate and keep a new draft version (the live content does not change)."""
    normalised = validate(matter_id, content, kind_of(session, matter_id))
    row = CatalogueVersion(matter_id=matter_id, number=_next_number(session, matter_id), status="draft",
                           content=normalised, based_on=based_on, note=note[:300],
                           faq_fingerprint=faq_fingerprint, created_by=user, created_at=datetime.utcnow())
    _add(session, row)
    _audit(session, user, "faq_draft" if faq_fingerprint else "draft", matter_id, row.number,
           f"from FAQ {faq_fingerprint}" if faq_fingerprint else note)
    return row


def publish(session: Session, *, matter_id: str, number: int, user: str) -> CatalogueVersion:
    """Make a draft what the assistant says (validated again: the schema may have moved on)."""
    row = _version(session, matter_id, number)
    if row.status != "draft":
        raise ConflictError(f"version {number} of {matter_id} is already published")
    validate(matter_id, json.loads(row.content), kind_of(session, matter_id))
    row.status, row.published_by, row.published_at = "published", user, datetime.utcnow()
    _audit(session, user, "publish", matter_id, number)
    return row


def rollback(session: Session, *, matter_id: str, number: int, user: str) -> CatalogueVersion:
    """A new version equal to version ``number`` (0: the YAML), published at once."""
    normalised = validate(matter_id, content_of(session, matter_id, number), kind_of(session, matter_id))
    now = datetime.utcnow()
    row = CatalogueVersion(matter_id=matter_id, number=_next_number(session, matter_id), status="published",
                           content=normalised, based_on=number, note=f"rollback to version {number}",
                           created_by=user, created_at=now, published_by=user, published_at=now)
    _add(session, row)
    _audit(session, user, "rollback", matter_id, row.number, f"to version {number}")
    return row


def _stamp(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() + "Z" if value else None


def history(session: Session, matter_id: str) -> List[Dict[str, Any]]:
    """Every version, newest first, with who and when, and which one is live."""
    kind = kind_of(session, matter_id)
    rows = list(session.execute(select(CatalogueVersion).where(CatalogueVersion.matter_id == matter_id)
                                .order_by(CatalogueVersion.number.desc())).scalars())
    current = live(session, matter_id)
    out = [{"number": r.number, "status": r.status, "note": r.note, "based_on": r.based_on,
            "faq_fingerprint": r.faq_fingerprint, "created_by": r.created_by, "created_at": _stamp(r.created_at),
            "published_by": r.published_by, "published_at": _stamp(r.published_at),
            "live": current is not None and r.id == current.id} for r in rows]
    out.append({"number": 0, "status": "published", "note": "shipped YAML" if kind == "catalogue" else "import",
                "based_on": None, "faq_fingerprint": None, "created_by": kind, "created_at": None, "published_by": None,
                "published_at": None, "live": current is None})
    return out


def audit_trail(session: Session, matter_id: str, limit: int = 100) -> List[Dict[str, Any]]:
    rows = session.execute(select(CatalogueEditEvent).where(CatalogueEditEvent.matter_id == matter_id)
                           .order_by(CatalogueEditEvent.id.desc()).limit(limit)).scalars()
    return [{"at": _stamp(r.at), "user": r.user, "action": r.action, "number": r.number, "detail": r.detail}
            for r in rows]


def _flatten(value: Any, prefix: str = "") -> Dict[str, Any]:
    if isinstance(value, dict):
        out: Dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for index, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}[{index}]"))
        return out
    return {prefix: value}


def diff(old: Content, new: Content) -> List[Dict[str, Any]]:
    """The fields that differ, by path (``fees.zh``, ``faq[3].a.en``): changed, added or removed."""
    before, after = _flatten(old), _flatten(new)
    out = []
    for path in sorted(set(before) | set(after)):
        if path not in before:
            out.append({"field": path, "change": "added", "old": None, "new": after[path]})
        elif path not in after:
            out.append({"field": path, "change": "removed", "old": before[path], "new": None})
        elif before[path] != after[path]:
            out.append({"field": path, "change": "changed", "old": before[path], "new": after[path]})
    return out
