"""The one case check (issue 15): its lockout is kept in the database, where no cache eviction
can drop it; concurrent guesses are all counted; a stranger's failures do not lock the owner
out, and staff can lift a lock for a citizen who came to the hall."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from analytics import accounts
from assistant.gateway.app import create_app
from assistant.settings import load_settings
from knowledge.case_check import MAX_CASE_FAILURES, MAX_FAILURES, check_case
from knowledge.cases import push_cases
from knowledge.db import make_engine, make_sessionmaker
from knowledge.schema import prepare_database
from tests.data.conftest import data_sqlite_url, db_url, engine, new_case_number, record, sessions  # noqa: F401


def test_a_lock_lives_in_the_database_not_in_a_cache(sessions, db_url) -> None:  # noqa: F811
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)])
    for i in range(MAX_FAILURES):
        check_case(sessions, number, f"{i:04d}", who="guesser")
    other = make_engine(db_url)  # another process, with no cache of its own
    try:
        assert check_case(make_sessionmaker(other), number, "5678", who="guesser").result == "locked"
    finally:
        other.dispose()


def test_concurrent_guesses_are_all_counted(sessions) -> None:  # noqa: F811
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)])
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: check_case(sessions, number, "0000", who=f"bot-{i}").result,
                                range(MAX_CASE_FAILURES)))
    assert results.count("locked") >= 1
    assert check_case(sessions, number, "5678", who="someone-new").result == "locked"


def test_a_stranger_cannot_lock_the_owner_out(sessions) -> None:  # noqa: F811
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)])
    for i in range(MAX_FAILURES * 3):
        check_case(sessions, number, f"{i:04d}", who="stranger")
    assert check_case(sessions, number, "5678", who="owner").result == "ok"


def test_staff_unlock_a_case_over_http(tmp_path: Path) -> None:
    settings = load_settings(var_dir=str(tmp_path), model_dir=str(tmp_path / "none"),
                             database_url=f"sqlite:///{tmp_path / 'hall.db'}",
                             analytics_log_path=str(tmp_path / "logs"))
    hall_engine = make_engine(settings.effective_database_url)
    prepare_database(hall_engine, ["exit_entry"])
    accounts.ensure_tables(hall_engine)
    hall = make_sessionmaker(hall_engine)
    with hall.begin() as session:
        accounts.set_user(session, "li.ming", "correct horse battery")
    number = new_case_number()
    push_cases(hall, "exit_entry", [record(number)])
    for i in range(MAX_CASE_FAILURES):
        check_case(hall, number, "0000", who=f"bot-{i}")
    assert check_case(hall, number, "5678", who="owner-at-the-hall").result == "locked"
    try:
        with TestClient(create_app(settings)) as client:
            assert client.post(f"/staff/api/cases/{number}/unlock").status_code == 401
            client.post("/staff/login", json={"username": "li.ming", "password": "correct horse battery"})
            answer = client.post(f"/staff/api/cases/{number}/unlock")
            assert answer.status_code == 200 and answer.json()["locks_lifted"] >= 1
        assert check_case(hall, number, "5678", who="owner-at-the-hall").result == "ok"
    finally:
        hall_engine.dispose()
