"""Secrets fail closed (issue 15): no known constant signs anything, production refuses short or
placeholder secrets naming the key, staff sessions die with their account, login guesses are
counted atomically, typed user names stay out of the log, no demo data in production, and Rasa
does not phone home."""

from __future__ import annotations

import logging
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from analytics import accounts
from assistant.errors import ConfigError
from assistant.gateway.app import create_app
from assistant.settings import load_settings
from knowledge.db import make_engine, make_sessionmaker

PASSWORD = "correct horse battery"
STRONG = {"session_secret": "Hq3vN8rT2wLm5pXc9zKd4fGj7sYb1aEu6", "id_salt": "Zr8mQ2vW5nLx9cTp3kHd7gFj1sYb4aEu0",
          "action_token": "Pn4wK8rT2xLm5vXc9zQd3fGj7sYb1aEh6", "staff_demo_password": "Vb7nM2qW9xLk4cTz8pHd"}


def local_settings(tmp_path: Path, **overrides):  # type: ignore[no-untyped-def]
    values = dict(var_dir=str(tmp_path), model_dir=str(tmp_path / "no-models"),
                  database_url=f"sqlite:///{tmp_path / 'civic.db'}", analytics_log_path=str(tmp_path / "logs"))
    values.update(overrides)
    return load_settings(**values)


def test_local_session_secret_is_random_kept_in_var_and_reused(tmp_path: Path) -> None:
    first = local_settings(tmp_path / "a")
    again = local_settings(tmp_path / "a")
    other = local_settings(tmp_path / "b")
    assert first.session_secret == again.session_secret != other.session_secret
    assert len(first.session_secret) >= 32 and "change" not in first.session_secret.lower()
    kept = tmp_path / "a" / "secrets" / "session_secret"
    assert kept.read_text() == first.session_secret
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert first.action_token and first.action_token != first.session_secret


@pytest.mark.parametrize("key", ["session_secret", "id_salt", "action_token"])
@pytest.mark.parametrize("value", ["x", "ChangeMe", "secret", "s3cret-but-short",
                                   "my-secret-value-that-is-long-enough-1234", "a" * 40])
def test_production_refuses_short_or_placeholder_secrets_naming_the_key(key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"CIVIC_{key.upper()}: (missing|shorter|a placeholder)"):
        load_settings(environment="production", **dict(STRONG, **{key: value}))


def test_production_accepts_strong_secrets_and_refuses_weak_data_tokens() -> None:
    assert load_settings(environment="production", **STRONG).environment == "production"
    with pytest.raises(ConfigError, match="CIVIC_DATA_TOKENS"):
        load_settings(environment="production", data_tokens={"gaj": "tok1"}, **STRONG)


@pytest.fixture()
def staff_client(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A gateway in the default (local) environment with two staff accounts."""
    settings = local_settings(tmp_path)
    engine = make_engine(settings.effective_database_url)
    accounts.ensure_tables(engine)
    with make_sessionmaker(engine).begin() as session:
        accounts.set_user(session, "li.ming", PASSWORD)
        accounts.set_user(session, "wang.fang", PASSWORD)
    with TestClient(create_app(settings)) as client:
        yield client, settings, engine
    engine.dispose()


def test_a_cookie_forged_with_the_old_default_secret_reads_nothing(staff_client) -> None:
    client, _, _ = staff_client
    forged = accounts.make_token("dev-session-secret-change-me", "nobody", 3600)
    client.cookies.set("civic_staff", forged, path="/staff")
    assert client.get("/staff/api/tickets").status_code == 401
    assert client.get("/staff/api/me").status_code == 401


def test_a_deleted_or_disabled_accounts_session_stops_working(staff_client) -> None:
    client, _, engine = staff_client
    for name, remove in (("li.ming", accounts.delete_user),
                         ("wang.fang", lambda s, u: accounts.set_disabled(s, u, True))):
        client.cookies.clear()
        assert client.post("/staff/login", json={"username": name, "password": PASSWORD}).status_code == 200
        assert client.get("/staff/api/me").json() == {"user": name}
        with make_sessionmaker(engine).begin() as session:
            assert remove(session, name)
        assert client.get("/staff/api/me").status_code == 401, name
        assert client.get("/staff/api/tickets").status_code == 401, name
        assert client.post("/staff/login", json={"username": name, "password": PASSWORD}).status_code == 401


def test_concurrent_login_guesses_are_counted_atomically(staff_client) -> None:
    client, _, _ = staff_client

    def guess(index: int) -> int:
        return client.post("/staff/login", json={"username": "wang.fang", "password": f"guess-{index}"}).status_code

    with ThreadPoolExecutor(12) as pool:
        codes = list(pool.map(guess, range(12)))
    # the rest are refused before any password check: 429 (counted) or 503 (the login pool is full)
    assert codes.count(401) <= 5 and codes.count(429) + codes.count(503) >= 7, codes


def test_failed_login_user_names_are_not_logged_as_typed(staff_client) -> None:
    client, _, _ = staff_client
    lines: list = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("civic")
    logger.addHandler(handler)
    try:
        typed = "Hunter2-MyPassword"
        assert client.post("/staff/login", json={"username": typed, "password": "x"}).status_code == 401
    finally:
        logger.removeHandler(handler)
    failed = [line for line in lines if line.startswith("staff.login.failed")]
    assert failed and not any(typed.lower() in line.lower() for line in lines)


def test_no_demo_cases_or_demo_login_in_production(tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from assistant.seed import seed_all
    from knowledge.models import Case
    from knowledge.schema import prepare_database

    settings = local_settings(tmp_path, environment="production", **STRONG)
    seed_all(settings)
    engine = make_engine(settings.effective_database_url)
    try:
        prepare_database(engine)
        accounts.ensure_tables(engine)
        with make_sessionmaker(engine)() as session:
            assert session.execute(select(func.count()).select_from(Case)).scalar_one() == 0
            assert not accounts.is_active(session, accounts.DEMO_USER)
    finally:
        engine.dispose()


def test_rasa_telemetry_is_off_unless_asked(tmp_path: Path, monkeypatch) -> None:
    from rasa import telemetry

    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "")  # recorded, so teardown restores what was there
    monkeypatch.delenv("RASA_TELEMETRY_ENABLED")
    try:
        with TestClient(create_app(local_settings(tmp_path))):
            assert os.environ["RASA_TELEMETRY_ENABLED"] == "false"
            assert not telemetry.is_telemetry_enabled()
        with TestClient(create_app(local_settings(tmp_path, rasa_telemetry=True))):
            assert os.environ["RASA_TELEMETRY_ENABLED"] == "true"
    finally:
        os.environ["RASA_TELEMETRY_ENABLED"] = "false"


def test_a_strangers_login_guesses_do_not_lock_a_colleague_out(staff_client) -> None:
    client, settings, _ = staff_client
    stranger = TestClient(client.app, client=("203.0.113.9", 50000))
    for index in range(6):
        stranger.post("/staff/login", json={"username": "wang.fang", "password": f"guess-{index}"})
    assert stranger.post("/staff/login", json={"username": "wang.fang", "password": PASSWORD}).status_code == 429
    assert client.post("/staff/login", json={"username": "wang.fang", "password": PASSWORD}).status_code == 200
