"""Migrations from an empty database, on SQLite and PostgreSQL, by code and by `civic db upgrade`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import inspect, select, text

from assistant.core.topics import MATTERS
from assistant.settings import PROJECT_ROOT
from knowledge.db import make_engine, make_sessionmaker
from knowledge.models import ServiceMatter
from knowledge.schema import current_revision, downgrade, ensure_schema, head_revision, upgrade

TABLES = {"departments", "service_matters", "cases", "case_status_history", "data_pushes",
          "closed_days", "appointment_slots", "bookings", "handoff_tickets", "catalogue_versions",
          "catalogue_edit_events"}


@pytest.mark.parametrize("empty_db_url", ["sqlite", "postgresql"], indirect=True)
def test_upgrade_from_empty_down_to_base_and_up_again(empty_db_url):
    engine = make_engine(empty_db_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert TABLES <= set(inspect(engine).get_table_names())
        downgrade(engine, "base")
        assert not TABLES & set(inspect(engine).get_table_names())
        ensure_schema(engine)  # what every process runs on start
        assert current_revision(engine) == head_revision()
        with make_sessionmaker(engine)() as session:
            assert set(session.execute(select(ServiceMatter.id)).scalars()) == set(MATTERS)
        with engine.connect() as conn:  # the constraint against overbooking is really there
            conn.execute(text("INSERT INTO appointment_slots (day, starts_at, ends_at, capacity, booked) "
                              "VALUES ('2030-01-07', '2030-01-07 09:00:00', '2030-01-07 09:30:00', 1, 0)"))
            with pytest.raises(Exception):
                conn.execute(text("UPDATE appointment_slots SET booked = 2"))
    finally:
        engine.dispose()


@pytest.mark.parametrize("empty_db_url", ["sqlite", "postgresql"], indirect=True)
def test_civic_db_upgrade_command(empty_db_url, base_env):
    env = dict(base_env, CIVIC_DATABASE_URL=empty_db_url, CIVIC_DATA_TOKENS="harbour_office:t0k")
    out = subprocess.run([sys.executable, "-m", "assistant", "db", "upgrade"], cwd=PROJECT_ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert head_revision() in out.stdout
    engine = make_engine(empty_db_url)
    try:
        with engine.connect() as conn:
            codes = set(conn.execute(text("SELECT code FROM departments")).scalars())
        assert "harbour_office" in codes
    finally:
        engine.dispose()
    assert os.path.exists(PROJECT_ROOT / "knowledge" / "migrations" / "env.py")
