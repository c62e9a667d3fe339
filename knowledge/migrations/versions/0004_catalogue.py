"""The imported catalogue (issue 17): matters from a city's published service-guide list, their
handling items and materials, and an audit row per import.

Revision ID: 0004_catalogue
Revises: 0003_case_check_lockout
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_catalogue"
down_revision = "0003_case_check_lockout"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False, server_default=""),
        sa.Column("imported_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("received_at", sa.DateTime, nullable=False),
        *[sa.Column(name, sa.Integer, nullable=False, server_default="0")
          for name in ("total", "created", "updated", "unchanged", "skipped", "rejected")],
    )
    op.create_table(
        "catalogue_matters",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False, server_default=""),
        sa.Column("overview_zh", sa.Text, nullable=False, server_default=""),
        sa.Column("overview_en", sa.Text, nullable=False, server_default=""),
        sa.Column("synonyms", sa.Text, nullable=False, server_default="[]"),
        sa.Column("department_id", sa.Integer, sa.ForeignKey("departments.id"), nullable=False),
        sa.Column("statutory_days", sa.Integer, nullable=True),
        sa.Column("statutory_text", sa.String(100), nullable=False, server_default=""),
        sa.Column("promised_days", sa.Integer, nullable=True),
        sa.Column("promised_text", sa.String(100), nullable=False, server_default=""),
        sa.Column("place", sa.Text, nullable=False, server_default=""),
        sa.Column("hours", sa.Text, nullable=False, server_default=""),
        sa.Column("phone", sa.String(100), nullable=False, server_default=""),
        sa.Column("legal_basis", sa.Text, nullable=False, server_default=""),
        sa.Column("channel", sa.String(24), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("published_at", sa.DateTime, nullable=False),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("catalogue_imports.id"), nullable=True),
        sa.UniqueConstraint("code", name="uq_catalogue_matters_code"),
        sa.CheckConstraint("channel IN ('online','in_person','online_and_in_person')", name="ck_catalogue_channel"),
    )
    op.create_index("ix_catalogue_matters_department_id", "catalogue_matters", ["department_id"])
    op.create_table(
        "catalogue_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("matter_id", sa.String(40), sa.ForeignKey("catalogue_matters.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("eligibility", sa.Text, nullable=False, server_default=""),
        sa.Column("fee", sa.Text, nullable=False, server_default=""),
        sa.Column("fee_yuan", sa.Integer, nullable=True),
    )
    op.create_index("ix_catalogue_items_matter_id", "catalogue_items", ["matter_id"])
    op.create_table(
        "catalogue_materials",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("catalogue_items.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("form", sa.String(24), nullable=False, server_default="original"),
        sa.Column("copies", sa.Integer, nullable=False, server_default="1"),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.CheckConstraint("form IN ('original','copy','original_and_copy')", name="ck_catalogue_material_form"),
    )
    op.create_index("ix_catalogue_materials_item_id", "catalogue_materials", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_catalogue_materials_item_id", "catalogue_materials")
    op.drop_table("catalogue_materials")
    op.drop_index("ix_catalogue_items_matter_id", "catalogue_items")
    op.drop_table("catalogue_items")
    op.drop_index("ix_catalogue_matters_department_id", "catalogue_matters")
    op.drop_table("catalogue_matters")
    op.drop_table("catalogue_imports")
