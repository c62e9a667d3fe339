"""Gateways with metrics on (a token), around the run's real agent, with the run's PostgreSQL
database and Redis; an action server whose log is kept (INFO, in a file); and a helper that reads
a scrape the way Prometheus does."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from assistant.gateway.app import create_app
from assistant.settings import PROJECT_ROOT, Settings, load_settings
from tests.conftest import free_port, wait_for_http
from tests.wechat.conftest import fake_wechat, make_gateway, openid  # noqa: F401  (WeChat fixtures)

METRICS_TOKEN = secrets.token_hex(24)  # hex: no placeholder word can appear in it


@pytest.fixture(scope="module")
def logged_action_server(base_env: Dict[str, str], tmp_path_factory: pytest.TempPathFactory
                         ) -> Iterator[Tuple[str, Path]]:
    """An action server of its own (its own port: the run's shared one may be running too), logging
    at INFO into a file the tests read: ``(webhook URL, log path)``."""
    port = free_port()
    log = tmp_path_factory.mktemp("actions") / "actions.log"
    env = dict(base_env, CIVIC_ACTION_PORT=str(port), CIVIC_LOG_LEVEL="INFO")
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "assistant", "actions"], cwd=PROJECT_ROOT, env=env,
                                   stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/health", timeout=300, process=process)  # minutes on a busy machine
        yield f"{url}/webhook", log
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
