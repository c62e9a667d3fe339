"""The case check's lockout in the database (issue 15): a cache that evicts keys must not be
able to drop a lock.

Revision ID: 0003_case_check_lockout
Revises: 0002_case_numbers_per_department
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_case_check_lockout"
down_revision = "0002_case_numbers_per_department"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_checks",
        sa.Column("case_number", sa.String(32), primary_key=True),
        sa.Column("requester", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("window_started", sa.DateTime, nullable=False),
        sa.Column("locked_until", sa.DateTime, nullable=True),
        sa.Column("verified_at", sa.DateTime, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("case_checks")
