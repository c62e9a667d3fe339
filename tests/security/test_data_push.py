"""Data push under bad input and faults (issue 15, "Losing data"): one bad record costs only
itself, every failure is audited, a database restart is not seen by the next push, and case
numbers are each department's own."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, func, select, text

from knowledge.cases import push_cases
from knowledge.db import make_engine, make_sessionmaker
from knowledge.models import Case, CaseStatusHistory, DataPush, Department
from knowledge.schema import current_revision, head_revision, upgrade
from tests.conftest import POSTGRES_ADMIN_URL
from tests.data import conftest as data_fixtures
from tests.data.conftest import auth, new_case_number, record

# The shared-data fixtures (SQLite and PostgreSQL, the gateway with department tokens), reused.
data_client = data_fixtures.data_client
data_sqlite_url = data_fixtures.data_sqlite_url
db_url = data_fixtures.db_url
empty_db_url = data_fixtures.empty_db_url
engine = data_fixtures.engine
sessions = data_fixtures.sessions


def push_raw(client, department: str, body: str):  # type: ignore[no-untyped-def]
    """A push sent as the bytes a department's program might send (``\\ud800`` is valid JSON)."""
    headers = dict(auth(department), **{"Content-Type": "application/json"})
    return client.post("/api/v1/data/cases", content=body.encode(), headers=headers)


def audit_rows(sessions, department: str) -> list:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return list(session.execute(select(DataPush).join(Department).where(Department.code == department)
                                    .order_by(DataPush.id)).scalars())


def test_bad_records_are_rejected_one_by_one_and_the_good_ones_stored(data_client, sessions):
    good = [new_case_number(), new_case_number()]
    bad = {
        "year 1": record(new_case_number(), submitted_at="0001-01-01T00:00:00+08:00"),
        "year 9999": record(new_case_number(), updated_at="9999-12-31T23:59:59-08:00"),
        "year 1 local": record(new_case_number(), submitted_at="0001-01-01", updated_at="0001-01-02"),
        "NUL": record(new_case_number(), applicant_name="张\u0000三"),
        "NUL in note": record(new_case_number(), note="ok\u0000"),
        "long note": record(new_case_number(), note="x" * 100_000),
        "Arabic-Indic digits": record("SZ" + "٢٠٢٤٠٠١٢٣٤"),
    }
    body = [record(good[0])] + list(bad.values()) + [record(good[1])]
    payload = json.dumps(body, ensure_ascii=True)
    # lone surrogates, as JSON escapes, in a name and in the case number itself
    payload = payload[:-1] + ', ' + json.dumps(record(new_case_number(), applicant_name="X"))[:-1].replace(
        '"X"', '"\\ud800"') + '}, {"case_number": "SZ2024\\udfff", "matter": "passport"}]'
    before = len(audit_rows(sessions, "exit_entry"))
    answer = push_raw(data_client, "exit_entry", payload)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["created"] == 2
    assert result["rejected"] == len(bad) + 2
    rejected_at = {r["index"] for r in result["rejections"]}
    assert rejected_at == set(range(1, len(bad) + 1)) | {len(bad) + 2, len(bad) + 3}
    for number in good:
        assert data_client.get(f"/api/v1/data/cases/{number}", headers=auth("exit_entry")).status_code == 200
    audits = audit_rows(sessions, "exit_entry")
    assert len(audits) == before + 1
    assert (audits[-1].total, audits[-1].created, audits[-1].rejected) == (len(body) + 2, 2, len(bad) + 2)


@pytest.mark.parametrize("body", ["[]", json.dumps([{"case_number": "TS1"}] * 5001)], ids=["empty", "over the limit"])
def test_a_push_refused_as_a_whole_leaves_an_audit_row(data_client, sessions, body):
    before = len(audit_rows(sessions, "civil_affairs"))
    answer = push_raw(data_client, "civil_affairs", body)
    assert answer.status_code == 422
    audits = audit_rows(sessions, "civil_affairs")
    assert len(audits) == before + 1 and audits[-1].error and audits[-1].rejected == audits[-1].total


def test_the_first_push_after_a_database_restart_succeeds(postgres_url):
    """Every pooled connection dropped by the server, as a restart does; the next push must land."""
    database = make_engine(postgres_url)
    try:
        from knowledge.schema import prepare_database

        prepare_database(database, ["exit_entry"])
        pushes = make_sessionmaker(database)
        push_cases(pushes, "exit_entry", [record(new_case_number())])  # the pool holds a connection now
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
        with admin.connect() as conn:
            killed = conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": database.url.database}).scalar()
        admin.dispose()
        assert killed >= 1
        number = new_case_number()
        result = push_cases(pushes, "exit_entry", [record(number)])
        assert (result.created, result.rejected) == (1, [])
        with pushes() as session:
            assert session.execute(select(Case.id).where(Case.case_number == number)).scalar()
    finally:
        database.dispose()


def test_case_numbers_are_per_department_and_reveal_nothing_elsewhere(data_client):
    taken = new_case_number()
    data_client.post("/api/v1/data/cases", json=[record(taken)], headers=auth("exit_entry"))
    fresh = new_case_number()

    def push_as_civil(number: str) -> dict:
        body = record(number, department="civil_affairs", matter="marriage_registration", status="completed",
                      phone="13900001111")
        answer = data_client.post("/api/v1/data/cases", json=[body], headers=auth("civil_affairs")).json()
        answer.pop("push_id")
        return answer

    # the same answer for a number another department holds as for a number nobody holds
    assert push_as_civil(taken) == push_as_civil(fresh) == {
        "created": 1, "updated": 0, "unchanged": 0, "rejected": 0, "rejections": []}
    exit_case = data_client.get(f"/api/v1/data/cases/{taken}", headers=auth("exit_entry")).json()
    civil_case = data_client.get(f"/api/v1/data/cases/{taken}", headers=auth("civil_affairs")).json()
    assert (exit_case["status"], exit_case["phone"]) == ("received", "13800135678")  # untouched
    assert (civil_case["status"], civil_case["phone"]) == ("completed", "13900001111")


def test_the_citizen_check_finds_the_case_whose_phone_matches(sessions):
    from knowledge.case_check import check_case

    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number, phone="13800005678")])
    push_cases(sessions, "civil_affairs", [record(number, department="civil_affairs", phone="13900001234")])
    who = f"citizen-{number}"  # the lockout lives in the database, counted per requester
    assert check_case(sessions, number, "5678", who=who).case.department_code == "exit_entry"
    assert check_case(sessions, number, "1234", who=who).case.department_code == "civil_affairs"
    assert check_case(sessions, number, "0000", who=who).result == "mismatch"


@pytest.mark.parametrize("empty_db_url", ["sqlite", "postgresql"], indirect=True)
def test_the_migration_keeps_cases_and_their_history(empty_db_url):
    database = make_engine(empty_db_url)
    try:
        upgrade(database, "0001_shared_data")
        with database.begin() as conn:
            conn.execute(text("INSERT INTO departments (id, code, created_at) VALUES (1, 'a', '2024-01-01')"))
            conn.execute(text("INSERT INTO service_matters (id, name_zh, name_en) VALUES ('passport', '护照', 'p')"))
            conn.execute(text(
                "INSERT INTO cases (id, case_number, matter_id, department_id, applicant_name, phone, status,"
                " submitted_at, updated_at, note, stored_at) VALUES (7, 'SZ2024000001', 'passport', 1, 'x',"
                " '13800000000', 'received', '2024-01-01', '2024-01-01', '', '2024-01-01')"))
            conn.execute(text(
                "INSERT INTO case_status_history (case_id, new_status, note, changed_fields, changed_at,"
                " recorded_at) VALUES (7, 'received', '', 'created', '2024-01-01', '2024-01-01')"))
        upgrade(database)
        assert current_revision(database) == head_revision()
        with make_sessionmaker(database)() as session:
            assert session.execute(select(func.count()).select_from(CaseStatusHistory)).scalar_one() == 1
            assert session.execute(select(Case.case_number)).scalar_one() == "SZ2024000001"
        with database.begin() as conn:  # a second department may now hold the same number
            conn.execute(text("INSERT INTO departments (id, code, created_at) VALUES (2, 'b', '2024-01-01')"))
            conn.execute(text(
                "INSERT INTO cases (case_number, matter_id, department_id, applicant_name, phone, status,"
                " submitted_at, updated_at, note, stored_at) VALUES ('SZ2024000001', 'passport', 2, 'y',"
                " '13900000000', 'received', '2024-01-01', '2024-01-01', '', '2024-01-01')"))
        with pytest.raises(Exception):  # but not twice in one department
            with database.begin() as conn:
                conn.execute(text(
                    "INSERT INTO cases (case_number, matter_id, department_id, applicant_name, phone, status,"
                    " submitted_at, updated_at, note, stored_at) VALUES ('SZ2024000001', 'passport', 2, 'z',"
                    " '13900000000', 'received', '2024-01-01', '2024-01-01', '', '2024-01-01')"))
    finally:
        database.dispose()
