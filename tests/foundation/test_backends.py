"""Scaling out: workers share conversations through Redis, and the gateway can talk to a
separate `rasa run` server instead of loading the model itself."""

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from assistant.core.rasa_backend import InProcessRasa
from assistant.gateway.app import create_app
from assistant.settings import PROJECT_ROOT
from tests.conftest import free_port, new_sender, wait_for_http


@pytest.mark.slow
def test_two_workers_share_one_conversation_through_redis(test_settings, trained_model, action_server,
                                                          redis_url):
    """What worker A said, worker B can repeat: the tracker lives in Redis, not in a process."""
    settings = test_settings.copy(update={"redis_url": redis_url})
    worker_a = InProcessRasa.load(trained_model, action_server, redis_url, test_settings.action_token)
    worker_b = InProcessRasa.load(trained_model, action_server, redis_url, test_settings.action_token)
    sender = new_sender()
    with TestClient(create_app(settings, backend=worker_a)) as a, \
            TestClient(create_app(settings, backend=worker_b)) as b:
        # a catalogue answer (a greeting is a fixed response the guide does not keep for "repeat")
        first = a.post("/api/v1/chat", json={"sender": sender, "message": "How do I renew my passport?"}).json()
        again = b.post("/api/v1/chat", json={"sender": sender, "message": "please repeat"}).json()
        assert first["lang"] == "en"
        assert again["intent"] == "repeat"  # the topic stays the subject repeated
        assert [r["text"] for r in again["replies"]] == [r["text"] for r in first["replies"]]
        assert b.get("/readyz").json()["checks"]["redis"] == "ok"


@pytest.mark.slow
def test_gateway_in_front_of_a_separate_rasa_server(test_settings, trained_model, action_server):
    port = free_port()
    env = {"CIVIC_ACTION_URL": action_server, "CIVIC_ACTION_TOKEN": test_settings.action_token,
           "RASA_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--enable-api", "--model", str(trained_model),
         "--port", str(port), "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/status", timeout=180, process=server)
        settings = test_settings.copy(update={"rasa_url": f"http://127.0.0.1:{port}"})
        with TestClient(create_app(settings)) as client:
            assert client.get("/readyz").status_code == 200
            sender = new_sender()
            body = client.post("/api/v1/chat", json={"sender": sender, "message": "你好"}).json()
            assert body["lang"] == "zh" and body["topic"] == "greet" and body["confidence"] > 0.5
            english = client.post("/api/v1/chat", json={"sender": sender, "message": "你好",
                                                        "lang": "en"}).json()
            assert english["lang"] == "en" and english["replies"][0]["text"].isascii()
            answer = client.post("/api/v1/chat", json={"sender": sender, "message": "How do I renew my passport?"}).json()
            assert answer["replies"]  # answered by the action server, through the remote Rasa
            again = client.post("/api/v1/chat", json={"sender": sender, "message": "repeat"}).json()
            assert again["replies"][0]["text"] == answer["replies"][0]["text"]
    finally:
        server.terminate()
        server.wait(timeout=20)
