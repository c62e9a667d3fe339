"""Writing a cleaned service-matter list into the shared database, idempotently.

Matters are upserted by 事项编码 in one transaction: a matter whose content hash is unchanged is
left alone (a second import of the same file changes nothing and says so), a changed one gets its
items and materials replaced, its ``version`` raised and ``published_at`` set, which is what live
readers watch. A 实施主体 the database does not know becomes a department. Rows that duplicate a
hand-written catalogue matter are skipped and reported: those 16 keep their full bilingual YAML.
Nothing is deleted: a department's list never removes another department's matters.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Dict, List, Optional, Tuple

from pypinyin import Style, lazy_pinyin
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from knowledge.catalogue_import.clean import (
    BadRow,
    MatterRecord,
    catalogue_name_keys,
    covered_by,
    group_rows,
    matter_id_for,
)
from knowledge.catalogue_import.read import Row, read_rows
from knowledge.catalogue_models import CatalogueImport, CatalogueItem, CatalogueMaterial, CatalogueMatter
from knowledge.clock import utcnow
from knowledge.models import Department


@dataclass(frozen=True)
class Skipped:
    line: int
    code: str
    matter_id: str  # the hand-written matter that covers it


@dataclass
class CatalogueReport:
    rows: int = 0
    matters: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments_created: int = 0
    skipped: List[Skipped] = field(default_factory=list)
    bad_rows: List[BadRow] = field(default_factory=list)
    import_id: Optional[int] = None

    def lines(self) -> List[str]:
        head = (f"{self.rows} rows, {self.matters} matters: {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged, {len(self.skipped)} skipped, {len(self.bad_rows)} rows rejected; "
                f"{self.departments_created} new departments")
        return ([head] + [f"  line {s.line}: {s.code}: skipped, the catalogue's own matter {s.matter_id}"
                          for s in self.skipped]
                + [f"  line {b.line}: {b.code or '-'}: {b.reason}" for b in self.bad_rows])

    def as_dict(self) -> dict:
        return {"rows": self.rows, "matters": self.matters, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "departments_created": self.departments_created,
                "skipped": [{"line": s.line, "code": s.code, "matter": s.matter_id} for s in self.skipped],
                "rejected": len(self.bad_rows),
                "bad_rows": [{"line": b.line, "code": b.code, "reason": b.reason} for b in self.bad_rows],
                "import_id": self.import_id}


def import_bytes(sessions: sessionmaker, data: bytes, filename: str, source: str = "cli",
                 user: str = "") -> CatalogueReport:
    """Read, clean and store one file (its kind from ``filename``); see the module docstring."""
    return import_rows(sessions, read_rows(data, filename), filename=filename, source=source, user=user)


def import_rows(sessions: sessionmaker, rows: List[Row], filename: str = "", source: str = "cli",
                user: str = "") -> CatalogueReport:
    from knowledge.catalogue import get_catalogue

    catalogue = get_catalogue()
    names = catalogue_name_keys([(m.id, n) for m in catalogue.matters.values()
                                 for n in [m.name.zh, *m.synonyms.zh]])
    grouped = group_rows(rows)
    report = CatalogueReport(rows=len(rows), bad_rows=grouped.bad_rows)
    keep: List[MatterRecord] = []
    for record in grouped.matters:
        owner = covered_by(record, names, tuple(catalogue.matters))
        if owner:
            report.skipped.append(Skipped(record.lines[0], record.code, owner))
        else:
            keep.append(record)
    report.matters = len(keep)
    now = utcnow()
    with sessions.begin() as session:
        audit = CatalogueImport(source=source, filename=filename[:200], imported_by=user[:64], received_at=now,
                                total=len(rows))
        session.add(audit)
        session.flush()
        departments, report.departments_created = _departments(session, keep, now)
        existing = {m.code: m for m in session.execute(
            select(CatalogueMatter).where(CatalogueMatter.code.in_([r.code for r in keep]))).scalars()} if keep else {}
        taken = set(session.execute(select(CatalogueMatter.id)).scalars())
        for record in keep:
            outcome = _upsert(session, record, existing.get(record.code), departments[record.row.department],
                              taken, audit.id, now)
            setattr(report, outcome, getattr(report, outcome) + 1)
        audit.created, audit.updated, audit.unchanged = report.created, report.updated, report.unchanged
        audit.skipped, audit.rejected = len(report.skipped), len(report.bad_rows)
        report.import_id = audit.id
    return report


def _upsert(session: Session, record: MatterRecord, found: Optional[CatalogueMatter], department_id: int,
            taken: set, import_id: int, now: datetime) -> str:
    digest = record.content_hash()
    if found is not None and found.content_hash == digest and found.department_id == department_id:
        return "unchanged"
    row = record.row
    values = dict(name_zh=row.name_zh, name_en=row.name_en, overview_zh=row.overview_zh,
                  overview_en=row.overview_en, synonyms=json.dumps(list(record.synonyms), ensure_ascii=False),
                  department_id=department_id, statutory_days=row.statutory_days,
                  statutory_text=row.statutory_text, promised_days=row.promised_days,
                  promised_text=row.promised_text, place=row.place, hours=row.hours, phone=row.phone,
                  legal_basis=row.legal_basis, channel=row.channel, content_hash=digest, published_at=now,
                  import_id=import_id)
    if found is None:
        matter_id = matter_id_for(record.code)
        if matter_id in taken:  # two codes that differ only in punctuation
            matter_id = f"{matter_id[:31]}_{hashlib.sha1(record.code.encode()).hexdigest()[:8]}"
        taken.add(matter_id)
        found = CatalogueMatter(id=matter_id, code=record.code, version=1, **values)
        session.add(found)
        outcome = "created"
    else:
        item_ids = select(CatalogueItem.id).where(CatalogueItem.matter_id == found.id)
        session.execute(delete(CatalogueMaterial).where(CatalogueMaterial.item_id.in_(item_ids)),
                        execution_options={"synchronize_session": False})
        session.execute(delete(CatalogueItem).where(CatalogueItem.matter_id == found.id),
                        execution_options={"synchronize_session": False})
        for key, value in values.items():
            setattr(found, key, value)
        found.version += 1
        outcome = "updated"
    session.flush()
    for position, item in enumerate(record.items):
        stored = CatalogueItem(matter_id=found.id, position=position, name=item.name, eligibility=item.eligibility,
                               fee=item.fee, fee_yuan=item.fee_yuan)
        session.add(stored)
        session.flush()
        session.add_all([CatalogueMaterial(item_id=stored.id, position=i, name=m.name, form=m.form, copies=m.copies,
                                           notes=m.notes) for i, m in enumerate(item.materials)])
    return outcome


def _city_free(name: str) -> str:
    """"江州市公安局" -> "公安局": the reference departments are named without the city."""
    return re.sub(r"^[\u4e00-\u9fff]{1,4}市(?=[\u4e00-\u9fff]{2})", "", name)


def department_code(name: str) -> str:
    """An ASCII code for a new department: pinyin initials and a short hash (unique, stable)."""
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    initials = re.sub(r"[^a-z0-9]", "", initials)[:22] or "dept"
    return f"{initials}_{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def _departments(session: Session, records: List[MatterRecord], now: datetime) -> Tuple[Dict[str, int], int]:
    """Department ids by 实施主体 as written, creating the ones nobody has heard of."""
    known: Dict[str, int] = {}
    for id_, name_zh in session.execute(select(Department.id, Department.name_zh)):
        known.setdefault(name_zh, id_)
    ids: Dict[str, int] = {}
    created = 0
    for record in records:
        name = record.row.department
        if name in ids:
            continue
        found = known.get(name) or known.get(_city_free(name))
        if found is None:
            department = Department(code=department_code(name), name_zh=name[:100],
                                    name_en=(record.row.department_en or name)[:100], created_at=now)
            session.add(department)
            session.flush()
            found = known[name] = department.id
            created += 1
        ids[name] = found
    return ids, created
