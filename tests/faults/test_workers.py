"""Several gateway workers without Redis would each keep their own lockouts and logouts: refused
at start with an error naming the settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assistant.errors import ConfigError
from assistant.settings import PROJECT_ROOT, load_settings
from tests.conftest import free_port


def test_several_workers_without_redis_are_refused_naming_the_keys() -> None:
    with pytest.raises(ConfigError, match="CIVIC_WORKERS.*CIVIC_REDIS_URL"):
        load_settings(workers=2)
    assert load_settings(workers=2, redis_url="redis://127.0.0.1:6379/0").workers == 2
    assert load_settings(workers=1).redis_url is None


def test_serve_with_several_workers_and_no_redis_exits_at_start(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(CIVIC_WORKERS="3", CIVIC_VAR_DIR=str(tmp_path), CIVIC_PORT=str(free_port()))
    try:
        result = subprocess.run([sys.executable, "-m", "assistant", "serve"], cwd=PROJECT_ROOT, env=env,
                                capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the gateway started with 3 workers and no Redis")
    assert result.returncode == 2
    assert "CIVIC_WORKERS" in result.stderr and "CIVIC_REDIS_URL" in result.stderr
