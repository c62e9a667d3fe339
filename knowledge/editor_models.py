"""Tables of the catalogue editor (issue 17): every version of a matter staff wrote, and the audit
of every step (draft, publish, rollback, FAQ draft).

A version holds the matter's whole content as JSON in the shape of the schema that validated it
(``knowledge.catalogue.Matter`` for the hand-written matters), so any version can be shown, diffed
or brought back without the versions before it. A version is a draft until an approver publishes
it; what the assistant says about a matter is its newest published version (by publication time),
or the shipped YAML when there is none. Rows are never updated except to publish a draft and never
deleted: the history is the audit of what the public was told, and when.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, Integer, String, Text, UniqueConstraint

from knowledge.db import Base

#: a version's life: written by an editor, then published by an approver
STATUSES = ("draft", "published")
#: the steps the audit records
ACTIONS = ("draft", "publish", "rollback", "faq_draft")


class CatalogueVersion(Base):
    __tablename__ = "catalogue_versions"
    __table_args__ = (
        UniqueConstraint("matter_id", "number", name="uq_catalogue_version_number"),
        CheckConstraint("status IN ('draft','published')", name="ck_catalogue_version_status"),
    )

    id = Column(Integer, primary_key=True)
    matter_id = Column(String(40), nullable=False, index=True)
    number = Column(Integer, nullable=False)  # 1, 2, ... per matter; 0 is the shipped YAML
    status = Column(String(16), nullable=False, default="draft")
    content = Column(Text, nullable=False)  # JSON of the validated matter
    based_on = Column(Integer, nullable=True)  # the version the editor started from
    note = Column(String(300), nullable=False, default="")
    faq_fingerprint = Column(String(16), nullable=True, index=True)  # opened from an FAQ candidate
    created_by = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)
    published_by = Column(String(64), nullable=True)
    published_at = Column(DateTime, nullable=True, index=True)


class CatalogueEditEvent(Base):
    """One step of the editor, for the audit: who did what to which version, and when."""

    __tablename__ = "catalogue_edit_events"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False)
    user = Column(String(64), nullable=False)
    action = Column(String(16), nullable=False)
    matter_id = Column(String(40), nullable=False, index=True)
    number = Column(Integer, nullable=True)
    detail = Column(String(300), nullable=False, default="")
