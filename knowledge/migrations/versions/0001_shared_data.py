"""Shared government data: departments, matters, cases and history, push audit, appointments,
handoff tickets.

Revision ID: 0001_shared_data
Revises:
Create Date: 2024-06-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_shared_data"
down_revision = None
branch_labels = None
depends_on = None

STATUSES = ("received", "under_review", "needs_more_documents", "approved", "rejected",
            "ready_for_pickup", "completed")


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name_zh", sa.String(100), nullable=False, server_default=""),
        sa.Column("name_en", sa.String(100), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "service_matters",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name_zh", sa.String(100), nullable=False),
        sa.Column("name_en", sa.String(100), nullable=False),
        sa.Column("department_code", sa.String(32), nullable=True),
    )
    op.create_table(
        "data_pushes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department_id", sa.Integer, sa.ForeignKey("departments.id"), nullable=False,
                  index=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rejected", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_number", sa.String(32), nullable=False, unique=True),
        sa.Column("matter_id", sa.String(40), sa.ForeignKey("service_matters.id"), nullable=False),
        sa.Column("department_id", sa.Integer, sa.ForeignKey("departments.id"), nullable=False),
        sa.Column("applicant_name", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("stored_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("status IN (" + ",".join(f"'{s}'" for s in STATUSES) + ")",
                           name="ck_cases_status"),
    )
    op.create_index("ix_cases_department_updated", "cases", ["department_id", "updated_at"])
    op.create_table(
        "case_status_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("old_status", sa.String(32), nullable=True),
        sa.Column("new_status", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("changed_fields", sa.String(200), nullable=False, server_default=""),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("push_id", sa.Integer, sa.ForeignKey("data_pushes.id"), nullable=True),
    )
    op.create_table(
        "closed_days",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("reason", sa.String(100), nullable=False, server_default=""),
    )
    op.create_table(
        "appointment_slots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False, index=True),
        sa.Column("starts_at", sa.DateTime, nullable=False),
        sa.Column("ends_at", sa.DateTime, nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("booked", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("starts_at", name="uq_slot_start"),
        sa.CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_slot_places"),
    )
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("slot_id", sa.Integer, sa.ForeignKey("appointment_slots.id"), nullable=False,
                  index=True),
        sa.Column("matter_id", sa.String(40), sa.ForeignKey("service_matters.id"), nullable=False),
        sa.Column("sender_ref", sa.String(32), nullable=False, server_default=""),
        sa.Column("channel", sa.String(20), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default="booked"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("cancelled_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "handoff_tickets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(16), nullable=False, unique=True),
        sa.Column("sender_ref", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False, server_default=""),
        sa.Column("lang", sa.String(8), nullable=False, server_default="zh"),
        sa.Column("topic", sa.String(40), nullable=True),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("transcript", sa.Text, nullable=False, server_default="[]"),
        sa.Column("status", sa.String(16), nullable=False, server_default="open", index=True),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("handoff_tickets", "bookings", "appointment_slots", "closed_days",
                  "case_status_history", "cases", "data_pushes", "service_matters", "departments"):
        op.drop_table(table)
