"""``civic db backup`` / ``civic db restore``: a backup of a database holding every kind of record
(cases and their history, bookings, handoff tickets, case-check lockouts, staff, analytics), restored
into a new, empty PostgreSQL database, gives back every table row for row."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import Engine

from assistant.settings import PROJECT_ROOT, load_settings
from tests.conftest import POSTGRES_ADMIN_URL

ADMIN_ROOT = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]


@pytest.fixture()
def make_database() -> Iterator:
    """Fresh databases on 127.0.0.1:5432, each dropped at the end of the test."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    made: List[str] = []

    def make(label: str) -> str:
        name = f"civic_{label}_{uuid.uuid4().hex[:8]}"
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as err:  # only when PostgreSQL is truly absent
            pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432: {err}")
        made.append(name)
        return f"{ADMIN_ROOT}/{name}"

    yield make
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fill(url: str, var_dir: Path) -> None:
    """Every kind of record the service keeps, written by the code that writes it in service."""
    from analytics import accounts, store
    from knowledge import appointments, case_check, handoff
    from knowledge.db import make_engine, make_sessionmaker
    from knowledge.seed_demo import seed

    settings = load_settings(environment="test", database_url=url, var_dir=var_dir, redis_url=None)
    seed(settings)  # departments, cases with their status history, appointment slots
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    store.ensure_tables(engine)
    accounts.ensure_tables(engine)
    with sessions() as session:
        day = appointments.bookable_days(session)[0]
        slot = appointments.free_slots(session, day)[0]
    appointments.book(sessions, slot.id, "passport", sender_ref="abc123", channel="web")
    handoff.create_ticket(sessions, "def456", [{"role": "user", "text": "我要找人工"}], channel="wechat",
                          topic="passport", reason="wants a person")
    for _ in range(2):
        case_check.check_case(sessions, "SZ2024001234", "0000", who="ghi789")
    with sessions.begin() as session:
        accounts.set_user(session, "clerk", "a long enough password")
        store.save_period(session, date.today() - timedelta(days=7), date.today(),
                          {"by_topic": [{"topic": "passport", "turns": 12}]},
                          [{"fingerprint": "f1", "lang": "zh", "size": 3, "distinct": 2,
                            "representative": "护照多少钱", "examples": ["护照多少钱", "护照费用"]}],
                          events=12, conversations=4, source="test", seconds=1.5)
    engine.dispose()


def snapshot(engine: Engine) -> Dict[str, List[Tuple]]:
    """Every row of every table, in a stable order."""
    meta = MetaData()
    meta.reflect(bind=engine)
    with engine.connect() as conn:
        return {name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
                for name, table in sorted(meta.tables.items())}


def civic(*args: str, url: str, var_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(CIVIC_ENVIRONMENT="test", CIVIC_DATABASE_URL=url, CIVIC_VAR_DIR=str(var_dir))
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_backup_restored_into_an_empty_database_gives_back_every_row(make_database, tmp_path):
    source_url, target_url = make_database("backup_src"), make_database("backup_dst")
    fill(source_url, tmp_path / "var")
    source = create_engine(source_url, future=True)
    before = snapshot(source)
    for table in ("cases", "case_status_history", "bookings", "handoff_tickets", "case_checks",
                  "staff_users", "analytics_periods", "analytics_figures", "analytics_faq_candidates",
                  "alembic_version"):
        assert before.get(table), f"the test database has no rows in {table}"

    file = tmp_path / "backups" / "civic.dump"
    saved = civic("db", "backup", str(file), url=source_url, var_dir=tmp_path / "var")
    assert saved.returncode == 0, saved.stderr
    assert file.read_bytes().startswith(b"PGDMP")
    with source.begin() as conn:  # what happens after the backup is not in it
        conn.execute(text("DELETE FROM bookings"))
    source.dispose()

    restored = civic("db", "restore", str(file), url=target_url, var_dir=tmp_path / "var")
    assert restored.returncode == 0, restored.stderr
    target = create_engine(target_url, future=True)
    after = snapshot(target)
    assert list(after) == list(before)
    for table in before:
        assert after[table] == before[table], f"{table} differs after the restore"
    with target.connect() as conn:  # sequences came back too: the next row gets a new id
        next_id = conn.execute(text("SELECT nextval(pg_get_serial_sequence('bookings', 'id'))")).scalar()
    assert next_id > max(row[0] for row in before["bookings"])
    target.dispose()

    again = civic("db", "restore", str(file), url=target_url, var_dir=tmp_path / "var")
    assert again.returncode == 2 and "not empty" in again.stderr  # never over live data


def test_restore_refuses_a_file_that_is_not_a_backup(make_database, tmp_path):
    url = make_database("backup_bad")
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    result = civic("db", "restore", str(bogus), url=url, var_dir=tmp_path / "var")
    assert result.returncode == 2 and "not a PostgreSQL backup" in result.stderr


def test_sqlite_backup_of_a_laptop_install_restores_the_same_rows(tmp_path):
    source_url = f"sqlite:///{tmp_path / 'var' / 'civic.db'}"
    target_url = f"sqlite:///{tmp_path / 'restored' / 'civic.db'}"
    fill(source_url, tmp_path / "var")
    file = tmp_path / "civic.sqlite"
    assert civic("db", "backup", str(file), url=source_url, var_dir=tmp_path / "var").returncode == 0
    restored = civic("db", "restore", str(file), url=target_url, var_dir=tmp_path / "restored")
    assert restored.returncode == 0, restored.stderr
    before, after = (snapshot(create_engine(url, future=True)) for url in (source_url, target_url))
    assert before["bookings"] and after == before
