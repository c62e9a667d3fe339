"""Case numbers are namespaced per department; a push's audit row keeps why it failed.

Case numbers were unique across the whole resource, so a department pushing a number another
department had issued was refused with an answer that told it the number existed elsewhere, and
could never hold its own case of that number. Now the pair (department, case number) is unique;
a plain index on the number keeps the citizen's lookup by number fast.

Revision ID: 0002_case_numbers_per_department
Revises: 0001_shared_data
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_case_numbers_per_department"
down_revision = "0001_shared_data"
branch_labels = None
depends_on = None

# The unnamed UNIQUE of 0001 gets this name when SQLite's table is reflected for batch mode.
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _recreate_cases(change) -> None:  # type: ignore[no-untyped-def]
    """SQLite can only drop a constraint by rebuilding the table, and dropping ``cases`` with
    foreign keys on cascades into ``case_status_history``: keep the history aside meanwhile."""
    op.execute("CREATE TEMPORARY TABLE _keep_history AS SELECT * FROM case_status_history")
    with op.batch_alter_table("cases", recreate="always", naming_convention=_SQLITE_NAMES) as batch:
        change(batch)
    op.execute("INSERT OR IGNORE INTO case_status_history SELECT * FROM _keep_history")
    op.execute("DROP TABLE _keep_history")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        def change(batch) -> None:  # type: ignore[no-untyped-def]
            batch.drop_constraint("uq_cases_case_number", type_="unique")
            batch.create_unique_constraint("uq_cases_department_number", ["department_id", "case_number"])
        _recreate_cases(change)
    else:
        op.drop_constraint("cases_case_number_key", "cases", type_="unique")
        op.create_unique_constraint("uq_cases_department_number", "cases", ["department_id", "case_number"])
    op.create_index("ix_cases_case_number", "cases", ["case_number"])
    with op.batch_alter_table("data_pushes") as batch:
        batch.add_column(sa.Column("error", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("data_pushes") as batch:
        batch.drop_column("error")
    op.drop_index("ix_cases_case_number", "cases")
    if op.get_bind().dialect.name == "sqlite":
        def change(batch) -> None:  # type: ignore[no-untyped-def]
            batch.drop_constraint("uq_cases_department_number", type_="unique")
            batch.create_unique_constraint("uq_cases_case_number", ["case_number"])
        _recreate_cases(change)
    else:
        op.drop_constraint("uq_cases_department_number", "cases", type_="unique")
        op.create_unique_constraint("cases_case_number_key", "cases", ["case_number"])
