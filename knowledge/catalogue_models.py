"""Tables of the imported catalogue (issue 17): the matters a city publishes in its service-guide
list, beside the hand-written YAML matters, with their handling items and materials.

A matter is one row per 事项编码; a published list often has one row per 办理项 (first
application, renewal, replacement), so items and their materials are rows of their own. Every
matter keeps a ``version`` (raised whenever its content changes) and ``published_at``; readers
compare the table's stamp (:func:`knowledge.imported.catalogue_stamp`) to notice an import without a
restart. ``content_hash`` makes a second import of the same file change nothing.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String, Text

from knowledge.db import Base

#: 办理形式 as stored: online only (网办), at a window only (窗口), or both (网办+窗口).
CHANNELS = ("online", "in_person", "online_and_in_person")
#: how a material is handed in
MATERIAL_FORMS = ("original", "copy", "original_and_copy")


class CatalogueMatter(Base):
    __tablename__ = "catalogue_matters"
    __table_args__ = (
        CheckConstraint("channel IN (" + ",".join(f"'{c}'" for c in CHANNELS) + ")", name="ck_catalogue_channel"),
    )

    id = Column(String(40), primary_key=True)  # derived from the code; the chat's topic
    code = Column(String(64), nullable=False, unique=True)  # 事项编码 as published
    name_zh = Column(String(200), nullable=False)
    name_en = Column(String(200), nullable=False, default="")
    overview_zh = Column(Text, nullable=False, default="")
    overview_en = Column(Text, nullable=False, default="")
    synonyms = Column(Text, nullable=False, default="[]")  # JSON list: other names people use
    department_id = Column(Integer, ForeignKey("departments.id"), nullable=False, index=True)
    statutory_days = Column(Integer, nullable=True)  # working days; None: not stated
    statutory_text = Column(String(100), nullable=False, default="")
    promised_days = Column(Integer, nullable=True)  # 0 = same day (即办)
    promised_text = Column(String(100), nullable=False, default="")
    place = Column(Text, nullable=False, default="")  # 办理地点, window included
    hours = Column(Text, nullable=False, default="")
    phone = Column(String(100), nullable=False, default="")
    legal_basis = Column(Text, nullable=False, default="")
    channel = Column(String(24), nullable=False)
    content_hash = Column(String(64), nullable=False)
    version = Column(Integer, nullable=False, default=1)
    published_at = Column(DateTime, nullable=False)  # when this version was imported
    import_id = Column(Integer, ForeignKey("catalogue_imports.id"), nullable=True)


class CatalogueItem(Base):
    """One 办理项 of a matter (its own conditions, materials and fee)."""

    __tablename__ = "catalogue_items"

    id = Column(Integer, primary_key=True)
    matter_id = Column(String(40), ForeignKey("catalogue_matters.id", ondelete="CASCADE"), nullable=False,
                       index=True)
    position = Column(Integer, nullable=False)
    name = Column(String(200), nullable=False, default="")  # "" when the matter has one item
    eligibility = Column(Text, nullable=False, default="")
    fee = Column(Text, nullable=False, default="")
    fee_yuan = Column(Integer, nullable=True)  # fen would be exact; whole yuan is what lists print


class CatalogueMaterial(Base):
    __tablename__ = "catalogue_materials"
    __table_args__ = (
        CheckConstraint("form IN (" + ",".join(f"'{f}'" for f in MATERIAL_FORMS) + ")",
                        name="ck_catalogue_material_form"),
    )

    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("catalogue_items.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    name = Column(String(200), nullable=False)
    form = Column(String(24), nullable=False, default="original")
    copies = Column(Integer, nullable=False, default=1)
    notes = Column(Text, nullable=False, default="")


class CatalogueImport(Base):
    """Audit of one import (command line, seeding or the staff dashboard): who, when, what came of it."""

    __tablename__ = "catalogue_imports"

    id = Column(Integer, primary_key=True)
    source = Column(String(16), nullable=False)  # cli | seed | staff
    filename = Column(String(200), nullable=False, default="")
    imported_by = Column(String(64), nullable=False, default="")
    received_at = Column(DateTime, nullable=False)
    total = Column(Integer, nullable=False, default=0)
    created = Column(Integer, nullable=False, default=0)
    updated = Column(Integer, nullable=False, default=0)
    unchanged = Column(Integer, nullable=False, default=0)
    skipped = Column(Integer, nullable=False, default=0)
    rejected = Column(Integer, nullable=False, default=0)
