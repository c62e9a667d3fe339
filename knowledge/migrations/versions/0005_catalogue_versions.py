"""The catalogue editor (issue 17): every version of a matter written by staff, drafts and
published, and the audit of each step.

Revision ID: 0005_catalogue_versions
Revises: 0004_catalogue
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_catalogue_versions"
down_revision = "0004_catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("matter_id", sa.String(40), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("based_on", sa.Integer, nullable=True),
        sa.Column("note", sa.String(300), nullable=False, server_default=""),
        sa.Column("faq_fingerprint", sa.String(16), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("published_by", sa.String(64), nullable=True),
        sa.Column("published_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("matter_id", "number", name="uq_catalogue_version_number"),
        sa.CheckConstraint("status IN ('draft','published')", name="ck_catalogue_version_status"),
    )
    op.create_index("ix_catalogue_versions_matter_id", "catalogue_versions", ["matter_id"])
    op.create_index("ix_catalogue_versions_published_at", "catalogue_versions", ["published_at"])
    op.create_index("ix_catalogue_versions_faq_fingerprint", "catalogue_versions", ["faq_fingerprint"])
    op.create_table(
        "catalogue_edit_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("matter_id", sa.String(40), nullable=False),
        sa.Column("number", sa.Integer, nullable=True),
        sa.Column("detail", sa.String(300), nullable=False, server_default=""),
    )
    op.create_index("ix_catalogue_edit_events_matter_id", "catalogue_edit_events", ["matter_id"])


def downgrade() -> None:
    op.drop_index("ix_catalogue_edit_events_matter_id", "catalogue_edit_events")
    op.drop_table("catalogue_edit_events")
    for column in ("faq_fingerprint", "published_at", "matter_id"):
        op.drop_index(f"ix_catalogue_versions_{column}", "catalogue_versions")
    op.drop_table("catalogue_versions")
