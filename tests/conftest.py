"""Shared fixtures: one trained model and one action server per test run, real PostgreSQL and
Redis (each run gets its own database and key prefix), and the gateway built around them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator

import httpx
import pytest

from assistant.settings import PROJECT_ROOT, Settings, load_settings

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
RUN_ID = uuid.uuid4().hex[:8]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 120, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, dropped afterwards."""
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    name = f"civic_test_{RUN_ID}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:  # only when PostgreSQL is truly absent
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432: {err}")
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as err:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {err}")
    return REDIS_URL


@pytest.fixture(scope="session")
def sqlite_url(var_dir: Path) -> str:
    return f"sqlite:///{var_dir / 'civic-test.db'}"


@pytest.fixture(scope="session")
def action_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def base_env(var_dir: Path, sqlite_url: str, action_port: int) -> Dict[str, str]:
    """Environment for child processes (action server, live gateway) of this run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(
        CIVIC_ENVIRONMENT="test",
        CIVIC_VAR_DIR=str(var_dir),
        CIVIC_DATABASE_URL=sqlite_url,
        CIVIC_ACTION_PORT=str(action_port),
        CIVIC_MODEL_DIR=str(PROJECT_ROOT / "models"),
        CIVIC_LOG_LEVEL="WARNING",
        # the suite sends thousands of turns from one address; tests/security turn limits back on
        CIVIC_RATE_LIMIT_EXEMPT="testclient,127.0.0.1",
    )
    return env


@pytest.fixture(scope="session")
def test_settings(base_env: Dict[str, str]) -> Settings:
    overrides = {k[len("CIVIC_"):].lower(): v for k, v in base_env.items() if k.startswith("CIVIC_")}
    settings = load_settings(**overrides)
    _RUN_SECRET["session_secret"] = settings.session_secret  # made in var_dir, shared with children
    return settings


@pytest.fixture(scope="session")
def trained_model(test_settings: Settings) -> Path:
    """Train once per run (and only if the inputs changed since the last model)."""
    from assistant.core.model_store import ensure_model

    return ensure_model(test_settings.model_dir)


@pytest.fixture(scope="session")
def action_server(base_env: Dict[str, str], action_port: int) -> Iterator[str]:
    process = subprocess.Popen([sys.executable, "-m", "assistant", "actions"], cwd=PROJECT_ROOT,
                               env=base_env)
    url = f"http://127.0.0.1:{action_port}"
    try:
        wait_for_http(f"{url}/health", timeout=300, process=process)  # 80-150 s seen on a busy 2-core machine
        yield f"{url}/webhook"
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture(scope="session")
def backend(trained_model: Path, action_server: str, test_settings: Settings):
    """One in-process Rasa agent shared by every in-process gateway of the run."""
    from assistant.core.rasa_backend import InProcessRasa

    return InProcessRasa.load(trained_model, action_server, None, test_settings.action_token)


@pytest.fixture()
def client(test_settings: Settings, backend):
    """The gateway in-process (FastAPI TestClient, lifespan run), around the shared agent."""
    from fastapi.testclient import TestClient

    from assistant.gateway.app import create_app

    with TestClient(create_app(test_settings, backend=backend)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def portal_port() -> int:
    """The port of the "other site" that embeds the widget (tests/pages): the live gateway lets
    that origin, and no other, frame its chat (CIVIC_FRAME_ANCESTORS)."""
    return free_port()


@pytest.fixture(scope="session")
def live_gateway(base_env: Dict[str, str], trained_model: Path, action_server: str, portal_port: int) -> Iterator[str]:
    """The real gateway process (uvicorn) on a free port, for browser and channel tests."""
    port = free_port()
    env = dict(base_env, CIVIC_PORT=str(port), CIVIC_ACTION_URL=action_server,
               CIVIC_FRAME_ANCESTORS=f"http://127.0.0.1:{portal_port}")
    process = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], cwd=PROJECT_ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/healthz", timeout=120, process=process)
        deadline = time.monotonic() + 120
        while httpx.get(f"{url}/readyz", timeout=5).status_code != 200:
            if time.monotonic() > deadline:
                raise TimeoutError("gateway never became ready")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


#: The session secret of this run's gateways (set by ``test_settings``), so :func:`new_sender` can
#: hand out ids they accept without a round trip.
_RUN_SECRET: Dict[str, str] = {}


def new_sender() -> str:
    """A fresh sender id the run's gateways accept (issued under the run's session secret);
    from outside the test process use :func:`new_chat_sender`."""
    if "session_secret" in _RUN_SECRET:
        from assistant.core.identity import issue_sender

        return issue_sender(_RUN_SECRET["session_secret"])
    return f"test-{uuid.uuid4().hex[:12]}"


def new_chat_sender(client_or_url: Any) -> str:
    """A sender id issued by the gateway (``POST /api/v1/session``), for ``/api/v1/chat``,
    ``/api/v1/kiosk/chat`` and ``/api/v1/voice``: the way any client gets one.

    ``client_or_url`` is a TestClient / httpx client, or a gateway's base URL.
    """
    if isinstance(client_or_url, str):
        response = httpx.post(f"{client_or_url.rstrip('/')}/api/v1/session", timeout=30)
    else:
        response = client_or_url.post("/api/v1/session")
    response.raise_for_status()
    return response.json()["sender"]


#: Debian's Chromium (never a downloaded browser); tests/pages has its own package-wide fixtures
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for a module's browser tests (the staff dashboard, the catalogue editor)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()
