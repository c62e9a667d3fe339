"""Case-check rows are purged (issue 15): a row whose window and lock are over says nothing a
missing row would not, so it is deleted on write instead of piling up pseudonyms next to case
numbers for ever; a requester who passed keeps its trust for TRUST_SECONDS. On SQLite and
PostgreSQL (the ``sessions`` fixture runs each test on both)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import insert, select, text

from knowledge import lockout
from knowledge.case_check import check_case
from knowledge.cases import push_cases
from knowledge.clock import utcnow
from knowledge.models import CaseCheck
from tests.data.conftest import data_sqlite_url, db_url, engine, new_case_number, record, sessions  # noqa: F401

HOUR = timedelta(hours=1)


def _row(subject: str, requester: str, window: datetime, locked: datetime | None = None,
         verified: datetime | None = None, failures: int = 3) -> dict:
    return {"case_number": subject, "requester": requester, "failures": failures, "window_started": window,
            "locked_until": locked, "verified_at": verified}


def _left(db, subject: str) -> set:  # type: ignore[no-untyped-def]
    with db() as session:
        return set(session.execute(select(CaseCheck.requester).where(CaseCheck.case_number == subject)).scalars())


def test_rows_that_no_longer_count_are_purged_and_the_rest_kept(sessions) -> None:  # noqa: F811
    now = utcnow()
    subject = new_case_number("PG")
    rows = [
        _row(subject, "old-window", now - 2 * HOUR),                                  # purged
        _row(subject, "lock-over", now - 3 * HOUR, locked=now - 2 * HOUR),            # purged
        _row(subject, "trust-expired", now - 40 * 24 * HOUR, verified=now - 31 * 24 * HOUR),  # purged
        _row(subject, "counting", now - timedelta(minutes=10)),                       # kept: window open
        _row(subject, "locked", now + HOUR, locked=now + HOUR),                       # kept: locked
        _row(subject, "trusted", now - 5 * HOUR, verified=now - 5 * HOUR),            # kept: trust
        _row(subject, lockout.EVERYONE, now - 2 * HOUR, failures=19),                 # purged
    ]
    with sessions.begin() as session:
        session.execute(insert(CaseCheck), rows)
    assert lockout.purge_stale(sessions, now) >= 4
    assert _left(sessions, subject) == {"counting", "locked", "trusted"}


def test_a_check_purges_on_write(sessions, monkeypatch) -> None:  # noqa: F811
    now = utcnow()
    stale = new_case_number("PG")
    with sessions.begin() as session:
        session.execute(insert(CaseCheck), [_row(stale, f"guesser-{i}", now - 2 * HOUR) for i in range(30)])
    monkeypatch.setattr(lockout, "PURGE_CLOCK", lockout._Every(lockout.PURGE_EVERY_SECONDS))
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)])
    assert check_case(sessions, number, "0000", who="someone").result == "mismatch"
    assert _left(sessions, stale) == set()
    assert _left(sessions, number) == {"someone", lockout.EVERYONE}  # the new count is kept
    with sessions.begin() as session:  # a second stale row within the interval waits its turn
        session.execute(insert(CaseCheck), [_row(stale, "later", now - 2 * HOUR)])
    check_case(sessions, number, "0001", who="someone")
    assert _left(sessions, stale) == {"later"}


def test_the_purge_never_waits_for_a_row_a_check_holds(sessions, db_url) -> None:  # noqa: F811
    if not db_url.startswith("postgresql"):
        return  # SQLite has one writer at a time: nothing to skip
    now = utcnow()
    subject = new_case_number("PG")
    with sessions.begin() as session:
        session.execute(insert(CaseCheck), [_row(subject, "held", now - 2 * HOUR),
                                            _row(subject, "free", now - 2 * HOUR)])
    holder = sessions()
    holder.execute(text("SELECT 1 FROM case_checks WHERE case_number = :s AND requester = 'held' FOR UPDATE"),
                   {"s": subject})
    try:
        done = threading.Event()
        worker = threading.Thread(target=lambda: (lockout.purge_stale(sessions, now), done.set()), daemon=True)
        worker.start()
        assert done.wait(10), "the purge waited for a row lock"
        assert _left(sessions, subject) == {"held"}
    finally:
        holder.rollback()
        holder.close()
    lockout.purge_stale(sessions, now)
    assert _left(sessions, subject) == set()


def test_civic_db_purge_deletes_them_too(sessions, db_url, tmp_path) -> None:  # noqa: F811
    import os
    import subprocess
    import sys

    from assistant.settings import PROJECT_ROOT

    now = utcnow()
    subject = new_case_number("PG")
    with sessions.begin() as session:
        session.execute(insert(CaseCheck), [_row(subject, "old", now - 2 * HOUR),
                                            _row(subject, "counting", now)])
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(CIVIC_ENVIRONMENT="test", CIVIC_DATABASE_URL=db_url, CIVIC_VAR_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "assistant", "db", "purge"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "purged" in done.stdout
    assert _left(sessions, subject) == {"counting"}
