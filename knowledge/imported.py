"""The imported matters as the rest of the assistant reads them: plain values, loaded from the
database once per version, and noticed without a restart when an import changes them.

:func:`catalogue_stamp` is one small aggregate query (count, newest ``published_at``, sum of
versions); it changes with every created or updated matter and with nothing else, so
:class:`LiveImported` re-reads the matters only after an import changed something, and asks for
the stamp at most every ``check_seconds`` (a turn costs no query in between).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Dict, List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from knowledge.catalogue_models import CatalogueItem, CatalogueMaterial, CatalogueMatter
from knowledge.models import Department
from knowledge.stamped import StampedRead

Stamp = Tuple[int, str, int]


@dataclass(frozen=True)
class ImportedMaterial:
    name: str
    form: str
    copies: int
    notes: str


@dataclass(frozen=True)
class ImportedItem:
    name: str
    eligibility: str
    fee: str
    fee_yuan: Optional[int]
    materials: Tuple[ImportedMaterial, ...]


@dataclass(frozen=True)
class ImportedMatter:
    id: str
    code: str
    name_zh: str
    name_en: str
    overview_zh: str
    overview_en: str
    synonyms: Tuple[str, ...]
    department_code: str
    department_zh: str
    department_en: str
    statutory_days: Optional[int]
    statutory_text: str
    promised_days: Optional[int]
    promised_text: str
    place: str
    hours: str
    phone: str
    legal_basis: str
    channel: str
    version: int
    published_at: str
    items: Tuple[ImportedItem, ...]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_zh

    def summary(self) -> dict:
        """What ``GET /api/v1/matters`` lists for it (the same keys as a catalogue matter)."""
        return {"id": self.id, "source": "imported", "code": self.code, "version": str(self.version),
                "name": {"zh": self.name_zh, "en": self.name_en or self.name_zh},
                "summary": {"zh": self.overview_zh, "en": self.overview_en},
                "department": {"zh": self.department_zh, "en": self.department_en or self.department_zh},
                "online": self.channel != "in_person", "channel": self.channel,
                "window": {"zh": self.place, "en": self.place}, "related": []}

    def as_dict(self) -> dict:
        """The whole matter, for ``GET /api/v1/matters/{id}``."""
        body = self.summary()
        body.update(statutory_days=self.statutory_days, statutory_text=self.statutory_text,
                    promised_days=self.promised_days, promised_text=self.promised_text, place=self.place,
                    hours=self.hours, phone=self.phone, legal_basis=self.legal_basis,
                    synonyms=list(self.synonyms), published_at=self.published_at,
                    items=[{"name": i.name, "eligibility": i.eligibility, "fee": i.fee, "fee_yuan": i.fee_yuan,
                            "materials": [m.__dict__ for m in i.materials]} for i in self.items])
        return body


def catalogue_stamp(connection: Connection) -> Stamp:
    count, newest, versions = connection.execute(select(
        func.count(CatalogueMatter.id), func.max(CatalogueMatter.published_at),
        func.coalesce(func.sum(CatalogueMatter.version), 0))).one()
    return int(count), str(newest or ""), int(versions)


def load_imported(connection: Connection) -> Dict[str, ImportedMatter]:
    """Every imported matter as the assistant tells it: the import, with staff's published edit
    laid over it when that edit is newer than the matter's last import (a later import of a
    changed list wins, and staff see it as the new version 0)."""
    from knowledge.imported_content import overlay
    from knowledge.published import load_published_at

    matters = load_import(connection)
    for matter_id, (published_at, content) in load_published_at(connection).items():
        matter = matters.get(matter_id)
        if matter is not None and published_at >= datetime.fromisoformat(matter.published_at).replace(tzinfo=None):
            try:
                matters[matter_id] = overlay(matter, content)
            except ValueError as err:  # the schema moved on: the import stands, never half an edit
                from assistant.logs import log_event

                log_event("catalogue.published.invalid", matter=matter_id, error=type(err).__name__)
    return matters


def live_stamp(connection: Connection) -> Tuple[Stamp, Tuple[int, str, int]]:
    """Changes with an import and with a publication (either changes what is told)."""
    from knowledge.published import published_stamp

    return catalogue_stamp(connection), published_stamp(connection)


def load_import(connection: Connection) -> Dict[str, ImportedMatter]:
    """Every imported matter with its items and materials as imported, in three queries."""
    materials: Dict[int, List[ImportedMaterial]] = {}
    for row in connection.execute(select(CatalogueMaterial).order_by(CatalogueMaterial.item_id,
                                                                     CatalogueMaterial.position)):
        materials.setdefault(row.item_id, []).append(ImportedMaterial(row.name, row.form, row.copies, row.notes))
    items: Dict[str, List[ImportedItem]] = {}
    for row in connection.execute(select(CatalogueItem).order_by(CatalogueItem.matter_id, CatalogueItem.position)):
        items.setdefault(row.matter_id, []).append(ImportedItem(row.name, row.eligibility, row.fee, row.fee_yuan,
                                                                tuple(materials.get(row.id, ()))))
    query = (select(CatalogueMatter, Department.code.label("dept_code"), Department.name_zh.label("dept_zh"),
                    Department.name_en.label("dept_en"))
             .join(Department, Department.id == CatalogueMatter.department_id).order_by(CatalogueMatter.code))
    matters: Dict[str, ImportedMatter] = {}
    for row in connection.execute(query):
        m = row._mapping
        matters[m["id"]] = ImportedMatter(
            id=m["id"], code=m["code"], name_zh=m["name_zh"], name_en=m["name_en"], overview_zh=m["overview_zh"],
            overview_en=m["overview_en"], synonyms=tuple(json.loads(m["synonyms"] or "[]")),
            department_code=m["dept_code"], department_zh=m["dept_zh"], department_en=m["dept_en"],
            statutory_days=m["statutory_days"], statutory_text=m["statutory_text"],
            promised_days=m["promised_days"], promised_text=m["promised_text"], place=m["place"],
            hours=m["hours"], phone=m["phone"], legal_basis=m["legal_basis"], channel=m["channel"],
            version=m["version"], published_at=m["published_at"].isoformat(), items=tuple(items.get(m["id"], ())))
    return matters


class LiveImported(StampedRead[Dict[str, ImportedMatter]]):
    """The imported matters, re-read when an import changed them (checked at most every
    ``check_seconds``, :mod:`knowledge.stamped`)."""

    def __init__(self, engine: Engine, check_seconds: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(engine, live_stamp, load_imported, {}, "catalogue.imported.unreadable", check_seconds, clock)

    def matters(self) -> Dict[str, ImportedMatter]:
        return self.value()
