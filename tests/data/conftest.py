"""Fixtures for the shared-data tests: the same tests on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text

from assistant.errors import UnavailableError
from knowledge.db import make_engine, make_sessionmaker
from knowledge.schema import prepare_database
from tests.conftest import POSTGRES_ADMIN_URL

TOKENS = {"exit_entry": "tok-exit-entry", "civil_affairs": "tok-civil", "new_dept": "tok-new-dept"}


def auth(department: str) -> dict:
    return {"Authorization": f"Bearer {TOKENS[department]}"}


def new_case_number(prefix: str = "TS") -> str:
    return f"{prefix}{random.randint(10**9, 10**10 - 1)}"


def record(case_number: str, **changes) -> dict:
    base = {
        "case_number": case_number, "matter": "passport", "department": "exit_entry",
        "applicant_name": "张三", "phone": "+86 138-0013-5678", "status": "received",
        "submitted_at": "2024-05-06T09:30:00+08:00", "updated_at": "2024-05-06T09:30:00+08:00",
        "note": "",
    }
    base.update(changes)
    return base


@pytest.fixture(scope="session")
def data_sqlite_url(var_dir: Path) -> str:
    return f"sqlite:///{var_dir / 'data-tests.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    if request.param == "sqlite":
        return request.getfixturevalue("data_sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture()
def engine(db_url: str):
    engine = make_engine(db_url)
    prepare_database(engine, TOKENS)
    yield engine
    engine.dispose()


@pytest.fixture()
def sessions(engine):
    return make_sessionmaker(engine)


class NoConversation:
    """The gateway's chat backend for tests that only use the data interface (no model)."""

    async def respond(self, sender, text, metadata, channel):  # type: ignore[no-untyped-def]
        raise UnavailableError("no conversation in this test")

    async def ready(self):  # type: ignore[no-untyped-def]
        return "no conversation in this test"

    async def close(self) -> None:
        return None


@pytest.fixture()
def data_client(test_settings, db_url: str):
    from fastapi.testclient import TestClient

    from assistant.gateway.app import create_app

    settings = test_settings.copy(update={"database_url": db_url, "data_tokens": TOKENS})
    with TestClient(create_app(settings, backend=NoConversation())) as client:
        yield client


@pytest.fixture()
def empty_db_url(request, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, of the kind named by the test's ``kind`` parameter."""
    kind = request.param
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    request.getfixturevalue("postgres_url")  # skips cleanly where PostgreSQL is absent
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    name = f"civic_empty_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
