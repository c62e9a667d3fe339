"""Staff dashboard: login with hashed passwords, signed sessions, logout, lockout, and no data
from any staff route without a session."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from analytics import accounts, store
from assistant.gateway.app import create_app
from assistant.settings import load_settings
from knowledge.db import make_engine, make_sessionmaker

PASSWORD = "correct horse battery"
#: Secrets production accepts (long, random-looking).
STRONG = {"session_secret": "Hq3vN8rT2wLm5pXc9zKd4fGj7sYb1aEu6", "id_salt": "Zr8mQ2vW5nLx9cTp3kHd7gFj1sYb4aEu0",
          "action_token": "Pn4wK8rT2xLm5vXc9zQd3fGj7sYb1aEh6"}
GROUP = {"fingerprint": "0123456789abcdef", "lang": "zh", "size": 42, "distinct": 3, "fallbacks": 40,
         "representative": "养狗要办证吗", "examples": [{"text": "养狗要办证吗", "count": 30},
                                                  {"text": "犬只登记在哪里办理", "count": 12}]}


@pytest.fixture(scope="module")
def staff_gateway(tmp_path_factory: pytest.TempPathFactory):
    """One gateway for the module (its start-up migrates a database, which is not free)."""
    tmp_path = tmp_path_factory.mktemp("staff")
    settings = load_settings(environment="test", var_dir=str(tmp_path), model_dir=str(tmp_path / "no-models"),
                             database_url=f"sqlite:///{tmp_path / 'staff.db'}", session_secret="s3cret-for-tests",
                             analytics_log_path=str(tmp_path / "logs"))
    engine = make_engine(settings.effective_database_url)
    store.ensure_tables(engine)
    accounts.ensure_tables(engine)
    with make_sessionmaker(engine).begin() as session:
        accounts.set_user(session, "li.ming", PASSWORD)
        accounts.set_user(session, "wang.fang", PASSWORD)
        store.save_period(session, date(2024, 3, 1), date(2024, 3, 31),
                          {"rates": [{"channel": "all", "mode": "all", "turns": 11}]}, [GROUP], 11, 5, "test", 1.0)
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        yield client, settings


@pytest.fixture()
def staff_app(staff_gateway):
    client, settings = staff_gateway
    client.cookies.clear()
    yield client, settings
    client.cookies.clear()


def login(client, username="li.ming", password=PASSWORD):
    return client.post("/staff/login", json={"username": username, "password": password})


GET_ROUTES = ["/staff/api/me", "/staff/api/periods", "/staff/api/dashboard", "/staff/api/tickets",
              "/staff/assets/staff.js", "/staff/assets/vendor/echarts.min.js"]
POST_ROUTES = [f"/staff/api/faq/{GROUP['fingerprint']}/accept", f"/staff/api/faq/{GROUP['fingerprint']}/dismiss",
               "/staff/logout", "/staff/api/cases/SZ2024001234/unlock"]


def test_every_staff_route_needs_a_session(staff_app) -> None:
    client, _ = staff_app
    page = client.get("/staff", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/staff/login"
    for path in GET_ROUTES:
        response = client.get(path)
        assert response.status_code == 401, path
        assert "养狗" not in response.text and "turns" not in response.text
    for path in POST_ROUTES:
        assert client.post(path).status_code == 401, path
    # a forged or tampered cookie is no session either
    token = accounts.make_token("another secret", "li.ming", 3600)
    client.cookies.set("civic_staff", token, path="/staff")
    assert client.get("/staff/api/me").status_code == 401
    assert client.get("/staff/login").status_code == 200  # the login page itself is public
    assert client.get("/staff/assets/login.js").status_code == 200


def test_routes_of_the_router_are_all_covered() -> None:
    from assistant.gateway.routes.staff import router

    covered = {"/staff", "/staff/", "/staff/login", "/staff/logout", "/staff/assets/{path:path}",
               "/staff/api/faq/{fingerprint}/accept", "/staff/api/faq/{fingerprint}/dismiss",
               "/staff/api/cases/{case_number}/unlock"} | set(GET_ROUTES)
    assert {r.path for r in router.routes} <= covered


def test_login_session_and_logout(staff_app) -> None:
    client, _ = staff_app
    assert login(client, password="wrong").status_code == 401
    assert login(client, username="nobody").status_code == 401
    response = login(client, username="  Li.Ming ")
    assert response.status_code == 200 and response.json() == {"user": "li.ming"}
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/staff" in cookie
    assert client.get("/staff/api/me").json() == {"user": "li.ming"}
    page = client.get("/staff")
    assert page.status_code == 200 and "echarts.min.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/staff/assets/vendor/echarts.min.js").status_code == 200
    assert client.get("/staff/assets/../../settings.py").status_code in (404, 422)
    old_cookie = client.cookies.get("civic_staff")
    assert client.post("/staff/logout").status_code == 200
    assert client.get("/staff/api/me").status_code == 401
    client.cookies.set("civic_staff", old_cookie, path="/staff")  # a stolen token dies with the logout
    assert client.get("/staff/api/me").status_code == 401


def test_passwords_are_stored_hashed(staff_app) -> None:
    _, settings = staff_app
    engine = make_engine(settings.effective_database_url)
    with make_sessionmaker(engine)() as session:
        stored = session.query(accounts.StaffUser).filter_by(username="li.ming").one().password_hash
    engine.dispose()
    assert PASSWORD not in stored and stored.startswith("scrypt$")
    assert accounts.verify_password(PASSWORD, stored) and not accounts.verify_password(PASSWORD + "x", stored)


def test_repeated_failures_lock_the_account(staff_app) -> None:
    client, _ = staff_app
    for _ in range(5):
        assert login(client, "wang.fang", password="wrong").status_code == 401
    assert login(client, "wang.fang").status_code == 429  # even the right password, for 15 minutes
    assert login(client).status_code == 200  # other accounts are not affected


def test_dashboard_data_and_faq_decisions(staff_app) -> None:
    client, settings = staff_app
    login(client)
    data = client.get("/staff/api/dashboard").json()
    assert data["period"]["since"] == "2024-03-01" and data["figures"]["rates"][0]["turns"] == 11
    assert [g["fingerprint"] for g in data["faq"]] == [GROUP["fingerprint"]]
    assert client.get("/staff/api/dashboard?period_id=999").status_code == 404
    assert client.get("/staff/api/tickets?status=bogus").status_code == 422
    accepted = client.post(f"/staff/api/faq/{GROUP['fingerprint']}/accept")
    assert accepted.status_code == 200
    # the catalogue editor opens a Q&A draft with the question and the examples filled in (issue 17)
    assert accepted.json()["editor"] == f"/staff/editor?faq={GROUP['fingerprint']}"
    assert not (Path(settings.var_dir) / "faq_drafts").exists()  # no file under var/ any more
    draft = client.get(f"/staff/api/editor/faq/{GROUP['fingerprint']}").json()
    assert draft["status"] == "accepted" and draft["qa"]["q"] == {"zh": "养狗要办证吗", "en": ""}
    assert draft["qa"]["also"]["zh"] == ["犬只登记在哪里办理"]
    assert client.get("/staff/api/dashboard").json()["faq"] == []  # decided groups leave the list
    assert client.post("/staff/api/faq/ffffffffffffffff/dismiss").status_code == 404
    assert client.post("/staff/api/faq/not-a-fingerprint/accept").status_code == 422


def test_demo_password_is_refused_in_production(tmp_path: Path) -> None:
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError):
        load_settings(environment="production", staff_demo_password="demo", **STRONG)
    settings = load_settings(environment="production", staff_demo_password="a-real-long-secret",
                             **STRONG, var_dir=str(tmp_path),
                             model_dir=str(tmp_path / "none"), database_url=f"sqlite:///{tmp_path / 'p.db'}")
    engine = make_engine(settings.effective_database_url)
    accounts.ensure_tables(engine)
    with make_sessionmaker(engine).begin() as session:
        accounts.set_user(session, accounts.DEMO_USER, "a-real-long-secret")
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        response = client.post("/staff/login", json={"username": "demo", "password": "a-real-long-secret"})
        assert response.status_code == 401 and "demo" in response.json()["error"]


def test_staff_add_command(tmp_path: Path, monkeypatch, capsys) -> None:
    import io

    from assistant.cli import main
    from assistant.settings import get_settings

    monkeypatch.setenv("CIVIC_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CIVIC_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
        assert main(["staff", "add", "wang", "--password-stdin"]) == 2  # too short
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert main(["staff", "add", "wang", "--password-stdin"]) == 0
    finally:
        get_settings.cache_clear()
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with make_sessionmaker(engine)() as session:
        assert accounts.authenticate(session, "wang", PASSWORD) == "wang"
    engine.dispose()
