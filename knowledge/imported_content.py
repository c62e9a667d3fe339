"""An imported matter's content as staff edit it (issue 17): the schema that validates an edit,
the imported row as version 0, and a published edit laid over the import.

The fields are those of the published list (``knowledge/catalogue_models.py``), with the same
limits as its columns and constraints, so an edit cannot hold what an import could not: a
channel or a material form outside the lists, a promised time over the statutory one, a name
longer than the column. The code, the department and the id stay those of the import.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, List, Optional

from pydantic import BaseModel, Extra, Field, root_validator

from knowledge.catalogue_models import CHANNELS, MATERIAL_FORMS
from knowledge.imported import ImportedItem, ImportedMaterial, ImportedMatter


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


class MaterialContent(_Strict):
    name: str = Field(..., min_length=1, max_length=200)
    form: str = Field("original", regex="^(" + "|".join(MATERIAL_FORMS) + ")$")
    copies: int = Field(1, ge=1, le=20)
    notes: str = Field("", max_length=2000)


class ItemContent(_Strict):
    name: str = Field("", max_length=200)
    eligibility: str = Field("", max_length=4000)
    fee: str = Field("", max_length=2000)
    fee_yuan: Optional[int] = Field(None, ge=0)  # None: the fee text says it (a formula, a range)
    materials: List[MaterialContent] = Field(default_factory=list)


class ImportedContent(_Strict):
    name_zh: str = Field(..., min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    overview_zh: str = Field("", max_length=4000)
    overview_en: str = Field("", max_length=4000)
    synonyms: List[str] = Field(default_factory=list, max_items=50)
    statutory_days: Optional[int] = Field(None, ge=0, le=365)
    statutory_text: str = Field("", max_length=100)
    promised_days: Optional[int] = Field(None, ge=0, le=365)
    promised_text: str = Field("", max_length=100)
    place: str = Field("", max_length=2000)
    hours: str = Field("", max_length=2000)
    phone: str = Field("", max_length=100)
    legal_basis: str = Field("", max_length=4000)
    channel: str = Field(..., regex="^(" + "|".join(CHANNELS) + ")$")
    items: List[ItemContent] = Field(..., min_items=1)

    @root_validator(skip_on_failure=True)
    def _promise_within_law(cls, values: dict) -> dict:
        statutory, promised = values.get("statutory_days"), values.get("promised_days")
        if statutory is not None and promised is not None and promised > statutory:
            raise ValueError("promised_days cannot exceed statutory_days")
        return values


FIELDS = tuple(ImportedContent.__fields__)


def content_of(matter: ImportedMatter) -> Dict[str, Any]:
    """The imported matter in the editor's shape (version 0)."""
    body = {name: getattr(matter, name) for name in FIELDS if name not in ("items", "synonyms")}
    body["synonyms"] = list(matter.synonyms)
    body["items"] = [{"name": i.name, "eligibility": i.eligibility, "fee": i.fee, "fee_yuan": i.fee_yuan,
                      "materials": [m.__dict__.copy() for m in i.materials]} for i in matter.items]
    return body


def overlay(matter: ImportedMatter, content: Dict[str, Any]) -> ImportedMatter:
    """The imported matter as a published edit says (id, code and department stay)."""
    edit = ImportedContent.parse_obj(content)
    items = tuple(ImportedItem(i.name, i.eligibility, i.fee, i.fee_yuan,
                               tuple(ImportedMaterial(m.name, m.form, m.copies, m.notes) for m in i.materials))
                  for i in edit.items)
    scalars = {name: getattr(edit, name) for name in FIELDS if name not in ("items", "synonyms")}
    return replace(matter, **scalars, synonyms=tuple(edit.synonyms), items=items)
