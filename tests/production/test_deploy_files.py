"""The files in deploy/ agree with the code: the example environment starts only once its
secrets are set, the systemd units are valid and run commands that exist, and nginx's body
limits are the gateway's own (nginx runs the whole file in test_multihost.py)."""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Dict

import pytest

from assistant.cli import build_parser
from assistant.errors import ConfigError
from assistant.settings import PROJECT_ROOT, Settings, load_settings

DEPLOY = PROJECT_ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("civic-*"))


def _example_environment() -> Dict[str, str]:
    pairs = (line.split("=", 1) for line in (DEPLOY / "civic.env.example").read_text().splitlines()
             if line.strip() and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_example_environment_is_refused_until_its_secrets_are_set(monkeypatch, tmp_path: Path) -> None:
    example = _example_environment()
    for key, value in example.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("CIVIC_VAR_DIR", str(tmp_path))
    with pytest.raises(ConfigError) as refused:
        load_settings()
    for key in ("CIVIC_SESSION_SECRET", "CIVIC_ACTION_TOKEN", "CIVIC_ID_SALT", "CIVIC_DATA_TOKENS"):
        assert key in str(refused.value)
    for key in ("CIVIC_SESSION_SECRET", "CIVIC_ACTION_TOKEN", "CIVIC_ID_SALT"):
        monkeypatch.setenv(key, secrets.token_urlsafe(40))
    monkeypatch.setenv("CIVIC_DATA_TOKENS", f"civil_affairs:{secrets.token_urlsafe(40)}")
    settings = load_settings()
    assert (settings.environment, settings.workers, settings.hosts) == ("production", 2, 2)
    assert settings.redis_url and settings.database_url.startswith("postgresql://")
    assert settings.trusted_proxies == ["10.0.0.1"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_units_run_civic_commands_that_exist(unit: Path) -> None:
    if unit.suffix == ".timer":
        assert "Persistent=true" in unit.read_text()
        return
    command = re.search(r"^ExecStart=(\S+) (.+)$", unit.read_text(), re.M)
    assert command is not None and command.group(1).endswith("/civic")
    build_parser().parse_args(command.group(2).split())  # SystemExit if the command is unknown
    assert "EnvironmentFile=/etc/civic/civic.env" in unit.read_text()


def test_units_are_valid_for_systemd(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    names = []
    for unit in UNITS:
        name = unit.name.replace("@.service", "@5055.service")
        shutil.copy(unit, tmp_path / unit.name)
        names.append(str(tmp_path / name))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *names], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if line.strip() and "/opt/civic/.venv/bin/civic is not executable" not in line]
    assert not problems, problems


def _bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([km]?)", size).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]


def test_nginx_body_limits_are_the_gateways(tmp_path: Path) -> None:
    config = (DEPLOY / "nginx" / "civic.conf").read_text()
    defaults = Settings(var_dir=tmp_path)
    server_wide = re.search(r"listen 80;.*?client_max_body_size (\w+);", config, re.S).group(1)  # type: ignore[union-attr]
    assert _bytes(server_wide) == defaults.max_body_bytes
    for location, limit in (("/api/v1/stt", defaults.max_upload_bytes), ("/api/v1/voice", defaults.max_upload_bytes),
                            ("/api/v1/data/", defaults.max_data_push_bytes)):
        size = re.search(rf"location {re.escape(location)} \{{\s*client_max_body_size (\w+);", config)
        assert size is not None and _bytes(size.group(1)) == limit, location
    internal = re.search(r"upstream civic_actions.*?client_max_body_size (\w+);", config, re.S).group(1)  # type: ignore[union-attr]
    assert _bytes(internal) == defaults.action_max_body_bytes
