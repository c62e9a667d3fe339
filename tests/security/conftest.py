"""Security fixtures: a real gateway process (uvicorn) with rate limits on and real Redis, and an
in-process gateway whose client address is chosen per test, so limits never leak between tests
or between runs sharing one Redis."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, Iterator, List

import httpx
import pytest

from assistant.settings import PROJECT_ROOT, Settings
from tests.conftest import free_port, wait_for_http


def client_address() -> str:
    """A fresh documentation-range address (RFC 5737), so every test starts with clean counters."""
    value = uuid.uuid4().int
    return f"198.51.{value % 250}.{(value >> 8) % 250 + 1}"


@pytest.fixture(scope="session")
def limited_settings(test_settings: Settings, redis_url: str) -> Settings:
    """The run's settings with Redis and per-client limits on (the suite exempts itself)."""
    return test_settings.copy(update={"redis_url": redis_url, "rate_limit_exempt": [],
                                      "model_dir": Path(test_settings.var_dir) / "no-model",
                                      "tts_engine_en": "espeak", "tts_engine_zh": "espeak"})


@pytest.fixture()
def gateway(limited_settings: Settings):
    """An in-process gateway (no Rasa model: these checks come before it) from a fresh address."""
    from fastapi.testclient import TestClient

    from assistant.gateway.app import create_app

    with TestClient(create_app(limited_settings), client=(client_address(), 40000)) as client:
        yield client


@pytest.fixture(scope="module")
def live_gateway_process(base_env: Dict[str, str], redis_url: str, tmp_path_factory) -> Iterator[str]:
    """The gateway as it runs in production: one uvicorn process, Redis, limits on, no model
    (nothing here needs one; it starts in seconds)."""
    port = free_port()
    var = tmp_path_factory.mktemp("security-var")
    env = dict(base_env, CIVIC_PORT=str(port), CIVIC_REDIS_URL=redis_url, CIVIC_RATE_LIMIT_EXEMPT="",
               CIVIC_MODEL_DIR=str(var / "no-model"), CIVIC_VAR_DIR=str(var),
               CIVIC_DATABASE_URL=f"sqlite:///{var / 'civic.db'}", CIVIC_DATA_TOKENS="exit_entry:a-long-test-token",
               CIVIC_TTS_ENGINE_EN="espeak", CIVIC_TTS_ENGINE_ZH="espeak")
    process = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], cwd=PROJECT_ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    GATEWAY_PIDS[url] = process.pid
    try:
        wait_for_http(f"{url}/healthz", timeout=120, process=process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        GATEWAY_PIDS.pop(url, None)


#: The process id of each live gateway (``civic serve``, one uvicorn worker: the server itself).
GATEWAY_PIDS: Dict[str, int] = {}


class Prober:
    """Probe ``/healthz`` every 50 ms on its own connection until stopped; keep the latencies."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.latencies: List[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=60) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    client.get(f"{self.url}/healthz").raise_for_status()
                except httpx.HTTPError:
                    self.failures += 1
                self.latencies.append(time.perf_counter() - started)
                self._stop.wait(0.05)

    def __enter__(self) -> "Prober":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=120)

    @property
    def worst(self) -> float:
        return max(self.latencies, default=0.0)


@pytest.fixture()
def healthz_prober() -> Callable[[str], Prober]:
    return Prober
