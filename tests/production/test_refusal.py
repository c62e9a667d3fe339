"""Several gateway workers or hosts refuse to start without the state they must share (Redis,
PostgreSQL, and on several hosts the secrets), with an error naming the settings; with them,
``civic serve`` runs the workers under gunicorn and stops them gracefully."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict

import httpx
import pytest

from assistant.errors import ConfigError
from assistant.settings import PROJECT_ROOT, load_settings, scale_out_problems
from tests.conftest import free_port, wait_for_http

REDIS = "redis://127.0.0.1:6379/0"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
SECRET = "k3Jq9vX2mR7tL0pW5zN8bH4yF6cD1sGa"


def _env(tmp_path: Path, **values: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(CIVIC_VAR_DIR=str(tmp_path), CIVIC_PORT=str(free_port()), CIVIC_ENVIRONMENT="test", **values)
    return env


def test_several_workers_without_redis_are_refused_naming_the_keys() -> None:
    with pytest.raises(ConfigError, match="CIVIC_WORKERS=2 needs CIVIC_REDIS_URL"):
        load_settings(workers=2, database_url=POSTGRES)
    assert load_settings(workers=2, redis_url=REDIS, database_url=POSTGRES).workers == 2
    assert load_settings(workers=1).redis_url is None


def test_several_workers_on_sqlite_are_refused() -> None:
    """SQLite is one file: with Redis alone, cases and lockouts would still be one machine's."""
    for database in (None, "sqlite:////tmp/civic.db"):
        with pytest.raises(ConfigError, match="CIVIC_WORKERS=3 needs a PostgreSQL CIVIC_DATABASE_URL"):
            load_settings(workers=3, redis_url=REDIS, database_url=database)
    assert load_settings(workers=3, redis_url=REDIS, database_url="postgresql+psycopg2://u@db/civic").workers == 3


def test_several_hosts_need_shared_state_and_explicit_secrets() -> None:
    """A secret generated on each host would make the hosts refuse each other's chat ids."""
    with pytest.raises(ConfigError) as refused:
        load_settings(hosts=2)
    message = str(refused.value)
    for key in ("CIVIC_HOSTS=2", "CIVIC_REDIS_URL", "PostgreSQL CIVIC_DATABASE_URL", "CIVIC_SESSION_SECRET",
                "CIVIC_ACTION_TOKEN"):
        assert key in message
    with pytest.raises(ConfigError, match="CIVIC_ACTION_TOKEN") as refused:
        load_settings(hosts=2, redis_url=REDIS, database_url=POSTGRES, session_secret=SECRET)
    assert "CIVIC_SESSION_SECRET" not in str(refused.value)
    shared = load_settings(hosts=2, redis_url=REDIS, database_url=POSTGRES, session_secret=SECRET,
                           action_token=SECRET)
    assert (shared.hosts, shared.session_secret) == (2, SECRET)


def test_one_process_needs_nothing_shared() -> None:
    assert scale_out_problems(1, 1, None, None, False, False) is None
    assert "CIVIC_WORKERS=2 and CIVIC_HOSTS=3" in (scale_out_problems(2, 3, None, None, False, False) or "")


def test_trusted_proxies_are_a_comma_list_from_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CIVIC_TRUSTED_PROXIES", "10.0.0.5, 10.0.1.0/24")
    assert load_settings(var_dir=tmp_path).trusted_proxies == ["10.0.0.5", "10.0.1.0/24"]
    monkeypatch.delenv("CIVIC_TRUSTED_PROXIES")
    assert load_settings(var_dir=tmp_path).trusted_proxies == ["127.0.0.1"]


@pytest.mark.parametrize("values, named", [
    ({"CIVIC_WORKERS": "3"}, "CIVIC_REDIS_URL"),
    ({"CIVIC_HOSTS": "2", "CIVIC_REDIS_URL": REDIS, "CIVIC_DATABASE_URL": POSTGRES}, "CIVIC_SESSION_SECRET"),
])
def test_serve_exits_at_start_naming_what_is_missing(tmp_path, values, named) -> None:
    try:
        result = subprocess.run([sys.executable, "-m", "assistant", "serve"], cwd=PROJECT_ROOT,
                                env=_env(tmp_path, **values), capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the gateway started with {values}")
    assert result.returncode == 2
    assert named in result.stderr and "civic:" in result.stderr


def test_serve_runs_workers_under_gunicorn_and_stops_gracefully(tmp_path, redis_url, postgres_url) -> None:
    """Two workers (no model here: they start in seconds and say so on /readyz) under one
    gunicorn master; SIGTERM stops both and the master exits cleanly."""
    env = _env(tmp_path, CIVIC_WORKERS="2", CIVIC_REDIS_URL=redis_url, CIVIC_DATABASE_URL=postgres_url,
               CIVIC_MODEL_DIR=str(tmp_path / "no-model"), CIVIC_STT_ENABLED="false", CIVIC_LOG_LEVEL="INFO")
    log = tmp_path / "gateway.log"
    with open(log, "wb") as out:
        master = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], cwd=PROJECT_ROOT, env=env,
                                  stdout=out, stderr=out)
    url = f"http://127.0.0.1:{env['CIVIC_PORT']}"
    try:
        wait_for_http(f"{url}/healthz", timeout=90, process=master)
        workers = _children(master.pid)
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
            workers = _children(master.pid)
        assert len(workers) == 2, log.read_text()
        assert "gunicorn" in Path(f"/proc/{master.pid}/cmdline").read_text().replace("\0", " ")
        assert httpx.get(f"{url}/readyz", timeout=10).status_code == 503  # no model: said, not hidden
        master.send_signal(signal.SIGTERM)
        assert master.wait(timeout=40) == 0
        assert all(not Path(f"/proc/{pid}").exists() for pid in workers)
        assert "gateway.stop" in log.read_text()
    finally:
        if master.poll() is None:
            master.kill()
            master.wait()


def _children(pid: int) -> list:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]
