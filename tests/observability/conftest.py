"""Gateways with metrics on (a token), around the run's real agent and an action server whose log
is kept (INFO, in a file), with the run's PostgreSQL database and Redis; and a helper that reads a
scrape the way Prometheus does."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from assistant.gateway.app import create_app
from assistant.settings import PROJECT_ROOT, Settings, load_settings
from tests.conftest import wait_for_http
from tests.wechat.conftest import fake_wechat, make_gateway, openid  # noqa: F401  (WeChat fixtures)

METRICS_TOKEN = secrets.token_hex(24)  # hex: no placeholder word can appear in it


@pytest.fixture(scope="session")
def action_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("actions") / "actions.log"


@pytest.fixture(scope="session")
def action_server(base_env: Dict[str, str], action_port: int, action_log: Path) -> Iterator[str]:
    """The run's action server (overrides the shared fixture here), logging at INFO into
    ``action_log`` so the tests can read its lines; it may take minutes to start on a busy machine."""
    with open(action_log, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "assistant", "actions"], cwd=PROJECT_ROOT,
                                   env=dict(base_env, CIVIC_LOG_LEVEL="INFO"), stdout=log, stderr=log)
    url = f"http://127.0.0.1:{action_port}"
    try:
        wait_for_http(f"{url}/health", timeout=300, process=process)
        yield f"{url}/webhook"
    finally:
        process.terminate()
        process.wait(timeout=15)


def settings_like(base: Settings, **overrides: Any) -> Settings:
    """``base`` with ``overrides``, validated again (as the environment would be)."""
    return load_settings(**{**base.dict(), **overrides})


@pytest.fixture()
def metrics_settings(test_settings: Settings, redis_url: str, postgres_url: str) -> Settings:
    return settings_like(test_settings, metrics_token=METRICS_TOKEN, redis_url=redis_url,
                         database_url=postgres_url, log_level="INFO")


@pytest.fixture()
def observed(metrics_settings: Settings, backend) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """The gateway with metrics on, in this process, around the run's agent."""
    with TestClient(create_app(metrics_settings, backend=backend)) as client:
        yield client


def scrape(client: Any, token: str = METRICS_TOKEN) -> Dict[str, Any]:
    """``GET /metrics`` parsed: ``{sample name: [(labels, value)]}``; fails unless it is a 200."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples: Dict[str, Any] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def value(samples: Dict[str, Any], name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` whose labels include ``labels`` (0 when none)."""
    return sum(v for found, v in samples.get(name, []) if all(found.get(k) == want for k, want in labels.items()))
