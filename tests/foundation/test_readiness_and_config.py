"""Readiness tells what is wrong; bad configuration fails at start naming the variable."""

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from assistant.errors import ConfigError
from assistant.gateway.app import create_app
from assistant.settings import PROJECT_ROOT, load_settings
from tests.conftest import new_sender


def test_readyz_is_503_naming_the_database_when_it_is_down(test_settings, backend):
    settings = test_settings.copy(update={"database_url": "postgresql://postgres@127.0.0.1:1/nowhere"})
    with TestClient(create_app(settings, backend=backend)) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert "database" in body["problems"] and body["checks"]["model"] == "ok"
        # the conversation itself does not need the database and keeps working
        assert client.post("/api/v1/chat", json={"sender": new_sender(), "message": "hello"}).status_code == 200


def test_readyz_is_503_naming_redis_when_it_is_down(test_settings, backend):
    settings = test_settings.copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    with TestClient(create_app(settings, backend=backend)) as client:
        body = client.get("/readyz").json()
        assert "redis" in body["problems"]


def test_readyz_is_503_when_no_model_can_be_loaded(test_settings, tmp_path):
    settings = test_settings.copy(update={"model_dir": tmp_path / "empty"})
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503 and "model" in ready.json()["problems"]
        chat = client.post("/api/v1/chat", json={"sender": new_sender(), "message": "hello"})
        assert chat.status_code == 503 and "model" in chat.json()["error"]


@pytest.mark.parametrize(
    "override, variable",
    [({"port": "eighty"}, "CIVIC_PORT"), ({"wechat_aes_key": "short"}, "CIVIC_WECHAT_AES_KEY"),
     ({"log_level": "LOUD"}, "CIVIC_LOG_LEVEL")],
)
def test_bad_setting_names_the_variable(override, variable):
    with pytest.raises(ConfigError, match=variable):
        load_settings(**override)


def test_placeholder_secrets_are_refused_in_production():
    with pytest.raises(ConfigError, match="CIVIC_ID_SALT"):
        load_settings(environment="production", staff_demo_password="s3cret-Long",
                      session_secret="another-long-secret")


def test_data_tokens_parse_from_pairs(monkeypatch):
    monkeypatch.setenv("CIVIC_DATA_TOKENS", "gaj:tok1, rsj:tok2")
    assert load_settings().data_tokens == {"gaj": "tok1", "rsj": "tok2"}
    monkeypatch.setenv("CIVIC_DATA_TOKENS", "gaj-without-token")
    with pytest.raises(ConfigError, match="CIVIC_DATA_TOKENS"):
        load_settings()


def test_cli_fails_at_start_with_the_variable_named():
    result = subprocess.run([sys.executable, "-m", "assistant", "run", "--no-seed"], cwd=PROJECT_ROOT,
                            env={"CIVIC_PORT": "not-a-port", "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "CIVIC_PORT" in result.stderr


def test_cli_help_explains_each_command():
    result = subprocess.run([sys.executable, "-m", "assistant", "--help"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    for command in ("run", "train", "serve"):
        assert command in result.stdout
    train_help = subprocess.run([sys.executable, "-m", "assistant", "train", "--help"],
                                cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert "only when" in train_help.stdout or "only if" in train_help.stdout


def test_model_threads_share_out_the_cores_unless_set(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert load_settings().effective_model_threads == 8  # one worker: the whole machine
    assert load_settings(workers=3, redis_url="redis://127.0.0.1:6379/0",
                         database_url="postgresql://postgres@127.0.0.1/test").effective_model_threads == 2
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert load_settings(workers=4, redis_url="redis://127.0.0.1:6379/0",
                         database_url="postgresql://postgres@127.0.0.1/test").effective_model_threads == 1
    assert load_settings(model_threads=3).effective_model_threads == 3
