"""PostgreSQL down: the data interface and staff login answer 503 with a clear error, /readyz
says not ready; after a restart the first write succeeds and a push refused during the outage
stores every record when sent again."""

from __future__ import annotations

from sqlalchemy import create_engine

from tests.faults.conftest import Stack
from tests.faults.helpers import AUTH, case_records, chat, push, stored

STAFF_USER, STAFF_PASSWORD = "faults.staff", "faults-password-1"


def _staff_user(stack: Stack) -> None:
    from sqlalchemy.orm import Session

    from analytics import accounts

    engine = create_engine(stack.postgres.url, future=True)
    try:
        accounts.ensure_tables(engine)
        with Session(engine) as session, session.begin():
            accounts.set_user(session, STAFF_USER, STAFF_PASSWORD)
    finally:
        engine.dispose()


def login(stack: Stack):  # type: ignore[no-untyped-def]
    return stack.http.post("/staff/login", json={"username": STAFF_USER, "password": STAFF_PASSWORD})


def test_first_write_after_a_postgres_restart_succeeds(stack: Stack) -> None:
    _staff_user(stack)
    first = case_records(3)
    assert push(stack.http, first).status_code == 200  # the pool now holds live connections
    assert login(stack).status_code == 200
    stack.postgres.restart()  # every pooled connection is now closed by the server
    records = case_records(3)
    response = push(stack.http, records)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    assert stored(stack.http, records) == {r["case_number"] for r in records}
    assert login(stack).status_code == 200


def test_postgres_down_answers_503_and_the_push_is_stored_after_restart(stack: Stack) -> None:
    _staff_user(stack)
    records = case_records(5)
    stack.postgres.stop()
    try:
        assert "database" in stack.wait_not_ready("database")["problems"]
        refused = push(stack.http, records)
        assert refused.status_code == 503, refused.text
        assert refused.headers.get("retry-after")
        assert "database" in refused.json()["error"] and "127.0.0.1" not in refused.text

        staff = login(stack)
        assert staff.status_code == 503 and "database" in staff.json()["error"]
        assert stack.http.get(f"/api/v1/data/cases/{records[0]['case_number']}",
                              headers=AUTH).status_code == 503
        # the conversation itself does not need the database
        assert chat(stack.http, "hello").status_code == 200
    finally:
        stack.postgres.start()

    again = push(stack.http, records)  # the same push, sent again: everything is stored
    assert again.status_code == 200, again.text
    assert again.json()["created"] == 5 and not again.json()["rejected"]
    assert stored(stack.http, records) == {r["case_number"] for r in records}
    assert login(stack).status_code == 200
    stack.wait_ready(timeout=15)


def test_gateway_started_during_an_outage_prepares_the_schema_when_postgres_returns(
        stack: Stack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """No restart needed: /readyz keeps trying to prepare the schema and then reports ready."""
    from fastapi.testclient import TestClient

    from assistant.gateway.app import create_app
    from assistant.settings import load_settings
    from tests.faults.conftest import DATA_TOKEN, DEPARTMENT

    admin = create_engine(stack.postgres.url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql("CREATE DATABASE civic_late")
    admin.dispose()
    settings = load_settings(environment="test", var_dir=tmp_path, model_dir=tmp_path / "no-model",
                             database_url=stack.postgres.url.rsplit("/", 1)[0] + "/civic_late",
                             data_tokens={DEPARTMENT: DATA_TOKEN})
    stack.postgres.stop()
    try:
        with TestClient(create_app(settings)) as client:
            assert client.get("/readyz").json()["checks"]["schema"] == "fail"
            stack.postgres.start()
            checks = client.get("/readyz").json()["checks"]
            assert checks["schema"] == "ok" and checks["database"] == "ok"
            records = case_records(2)
            response = client.post("/api/v1/data/cases", json=records, headers=AUTH)
            assert response.status_code == 200 and response.json()["created"] == 2
    finally:
        if not stack.postgres.running():
            stack.postgres.start()
