"""``POST /staff/api/catalogue/import``: approvers only (no session 401, an editor 403), the size
limit before reading, the report in the answer, and the new matter listed by ``/api/v1/matters``
at once, without a restart."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from analytics import accounts
from assistant.gateway.app import create_app
from assistant.settings import load_settings
from knowledge.db import make_engine, make_sessionmaker
from tests.catalogue.conftest import GOOD_AND_BAD, csv_bytes

PASSWORD = "correct horse battery"
URL = "/staff/api/catalogue/import"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory):
    tmp_path = tmp_path_factory.mktemp("catalogue-staff")
    settings = load_settings(environment="test", var_dir=str(tmp_path), model_dir=str(tmp_path / "no-models"),
                             database_url=f"sqlite:///{tmp_path / 'staff.db'}", session_secret="s3cret-for-tests",
                             analytics_log_path=str(tmp_path / "logs"), max_catalogue_bytes=64 * 1024,
                             rate_limit_exempt=["testclient"])
    engine = make_engine(settings.effective_database_url)
    accounts.ensure_tables(engine)
    with make_sessionmaker(engine).begin() as session:
        accounts.set_user(session, "wang.approver", PASSWORD, role="approver")
        accounts.set_user(session, "li.editor", PASSWORD)
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        yield client


def login(client: TestClient, username: str) -> None:
    client.cookies.clear()
    assert client.post("/staff/login", json={"username": username, "password": PASSWORD}).status_code == 200


def upload(client: TestClient, data: bytes, name: str = "list.csv"):
    return client.post(URL, files={"file": (name, data, "text/csv")})


def test_no_session_is_401_before_the_body_is_read(gateway):
    gateway.cookies.clear()
    assert upload(gateway, csv_bytes(GOOD_AND_BAD)).status_code == 401
    garbage = gateway.post(URL, content=b"--x\r\nnot a form", headers={"content-type": "multipart/form-data; boundary=x"})
    assert garbage.status_code == 401


def test_an_editor_is_403(gateway):
    login(gateway, "li.editor")
    response = upload(gateway, csv_bytes(GOOD_AND_BAD))
    assert response.status_code == 403 and "approver" in response.json()["error"]
    assert gateway.get("/staff/api/me").json() == {"user": "li.editor"}  # signed in all the same


def test_an_approver_imports_and_the_matter_is_listed_at_once(gateway):
    login(gateway, "wang.approver")
    before = {m["id"] for m in gateway.get("/api/v1/matters").json()["matters"]}
    assert "t_bench_001" not in before
    response = upload(gateway, csv_bytes(GOOD_AND_BAD))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["rejected"]) == (2, 4)
    assert [b["line"] for b in body["bad_rows"]] == [4, 5, 6, 8]
    listed = {m["id"]: m for m in gateway.get("/api/v1/matters").json()["matters"]}
    assert listed["t_bench_001"]["source"] == "imported"
    assert listed["t_bench_001"]["name"]["zh"] == "公园长椅认捐"
    assert listed["t_bench_001"]["department"]["zh"] == "江州市测试局"
    assert listed["id_card"]["source"] == "catalogue"
    one = gateway.get("/api/v1/matters/t_boat_004").json()
    assert one["items"][0]["materials"][0]["form"] == "original_and_copy"
    again = upload(gateway, csv_bytes(GOOD_AND_BAD)).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_a_file_over_the_limit_is_413_and_a_bad_upload_422(gateway):
    login(gateway, "wang.approver")
    assert upload(gateway, b"x" * (70 * 1024)).status_code == 413
    assert gateway.post(URL, files={"other": ("a.csv", b"a", "text/csv")}).status_code == 422
    response = upload(gateway, b"MZ\x90\x00", "tool.exe")
    assert response.status_code == 422 and ".xlsx, .csv and .json" in response.json()["error"]


def test_accounts_made_before_roles_become_editors(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE staff_users (id INTEGER PRIMARY KEY, username VARCHAR(32) UNIQUE, "
                                "password_hash VARCHAR(200), created_at TIMESTAMP, disabled_at TIMESTAMP)"))
        connection.execute(text("INSERT INTO staff_users (username, password_hash, created_at) "
                                "VALUES ('old.hand', 'x', '2024-01-01')"))
    accounts.ensure_tables(engine)
    assert "role" in {c["name"] for c in inspect(engine).get_columns("staff_users")}
    with make_sessionmaker(engine)() as session:
        assert accounts.role_of(session, "old.hand") == "editor"
    engine.dispose()


def test_the_local_demo_account_is_an_approver(tmp_path):
    from analytics import seed

    settings = load_settings(environment="local", var_dir=str(tmp_path), database_url=f"sqlite:///{tmp_path / 'd.db'}")
    engine = make_engine(settings.effective_database_url)
    try:
        from analytics import store

        store.ensure_tables(engine)
        accounts.ensure_tables(engine)
        with make_sessionmaker(engine).begin() as session:  # made before roles existed: an editor
            accounts.set_user(session, accounts.DEMO_USER, "demo", min_length=1)
            store.save_period(session, date(2024, 3, 1), date(2024, 3, 2), {}, [], 0, 0, "test", 0.1)  # an analysis exists: the seeder skips Spark
        seed.seed(settings)
        with make_sessionmaker(engine)() as session:
            assert accounts.role_of(session, accounts.DEMO_USER) == "approver"
    finally:
        engine.dispose()
