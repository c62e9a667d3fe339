"""A new model goes live under traffic (issue 16, no downtime): ``civic reload`` names another
model file while people keep talking to a real gateway (``civic serve``, conversations in Redis).
Not one turn fails, the gateway reports the new model, and a conversation begun on the old model
carries on on the new one, still about the matter it was about.

The "new" model is the trained model under another name: the mechanism (load beside, warm,
swap, keep the conversations) is the same whatever the file holds, and training a second model
would take minutes. Started with ``CIVIC_MODEL_CHECK_SECONDS=1`` so the test waits on the load,
not on the check. About a minute on a quiet machine: one model load at start, one for the swap.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import List

import httpx
import pytest

from assistant.core.model_store import (SERVING_POINTER, publish_serving,
                                        serving_model)
from assistant.core.rasa_backend import model_version
from assistant.settings import PROJECT_ROOT
from tests.conftest import free_port, new_chat_sender
from tests.production.stack import Stack, clean_env, model_pair, wait_until


def test_the_pointer_names_the_served_model_and_a_missing_file_falls_back_to_the_newest(tmp_path):
    """What every gateway process serves at start, and what ``civic reload`` may name."""
    models, pointer = tmp_path / "models", tmp_path / "var" / SERVING_POINTER
    models.mkdir()
    older, newer = models / "civic-aaaa.tar.gz", models / "civic-bbbb.tar.gz"
    older.write_bytes(b"a")
    newer.write_bytes(b"b")
    os.utime(older, (1, 1))
    assert serving_model(models, pointer) == newer  # no pointer: the newest (no model fits these inputs)
    publish_serving(pointer, models, older)
    assert serving_model(models, pointer) == older  # named: served even though another is newer
    with pytest.raises(FileNotFoundError):
        publish_serving(pointer, models, models / "civic-missing.tar.gz")
    assert serving_model(models, pointer) == older  # a refused name leaves the pointer as it was
    older.unlink()
    assert serving_model(models, pointer) == newer  # the named file is gone: never serve nothing


def two_model_files(folder: Path) -> List[Path]:
    """The trained model, and the same file under a second name (the "new" model)."""
    pair = model_pair(PROJECT_ROOT / "models", folder)
    if pair is None:
        pytest.skip("no trained model in models/ (run `civic train`)")
    return pair


def served_model(base: str) -> str:
    return httpx.get(f"{base}/readyz", timeout=10).json().get("model", "")


class Traffic:
    """People talking throughout: each asks about a matter, then a follow-up, then starts again."""

    TURNS = ("办护照要带什么材料", "要交多少钱", "how do I apply for a social security card", "where do I go")

    def __init__(self, base: str, people: int = 3) -> None:
        self.base = base
        self.failures: List[str] = []
        self.answered = 0
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.person, daemon=True) for _ in range(people)]

    def person(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as http:
            while not self.stopping.is_set():
                try:
                    sender = http.post("/api/v1/session").json()["sender"]
                    for text in self.TURNS:
                        reply = http.post("/api/v1/chat", json={"sender": sender, "message": text})
                        if reply.status_code != 200 or not reply.json().get("replies"):
                            self.failures.append(f"{reply.status_code} {reply.text[:200]}")
                        else:
                            self.answered += 1
                except httpx.HTTPError as err:
                    self.failures.append(f"{type(err).__name__}: {err}")

    def __enter__(self) -> "Traffic":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=90)


@pytest.mark.slow
def test_a_new_model_goes_live_under_traffic_without_a_failed_turn_or_a_lost_conversation(tmp_path, redis_url):
    old, new = two_model_files(tmp_path / "models")
    var_dir = tmp_path / "var"
    publish_serving(var_dir / SERVING_POINTER, old.parent, old)
    port, action_port = free_port(), free_port()
    env = clean_env(CIVIC_ENVIRONMENT="test", CIVIC_VAR_DIR=str(var_dir), CIVIC_MODEL_DIR=str(old.parent),
                    CIVIC_PORT=str(port), CIVIC_ACTION_PORT=str(action_port), CIVIC_REDIS_URL=redis_url,
                    CIVIC_DATABASE_URL=f"sqlite:///{tmp_path / 'civic.db'}", CIVIC_MODEL_CHECK_SECONDS="1",
                    CIVIC_STT_ENABLED="false", CIVIC_RATE_LIMIT_EXEMPT="127.0.0.1", CIVIC_LOG_LEVEL="INFO")
    stack = Stack(tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        actions = stack.civic("actions", "actions", env)
        gateway = stack.civic("gateway", "serve", env)
        wait_until(f"http://127.0.0.1:{action_port}/health", 600, actions)
        wait_until(f"{base}/readyz", 600, gateway)  # generous: the cores may be busy with other work
        assert served_model(base) == model_version(old)

        sender = new_chat_sender(base)
        first = httpx.post(f"{base}/api/v1/chat", json={"sender": sender, "message": "我要办护照"}, timeout=60)
        assert first.status_code == 200 and first.json()["topic"] == "passport", first.text

        with Traffic(base) as traffic:
            time.sleep(2)
            before = traffic.answered
            reload = subprocess.run([sys.executable, "-m", "assistant", "reload", "--model", str(new)],
                                    cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
            assert reload.returncode == 0, reload.stderr
            deadline = time.monotonic() + 300
            while served_model(base) != model_version(new):
                assert time.monotonic() < deadline, "the new model never went live"
                assert not traffic.failures, traffic.failures
                time.sleep(0.5)
            during = traffic.answered - before
            time.sleep(2)  # and some turns on the new model
        follow_up = httpx.post(f"{base}/api/v1/chat", json={"sender": sender, "message": "要交多少钱"}, timeout=60)
    finally:
        stack.close()
    log = stack.log("gateway")
    assert traffic.failures == [], traffic.failures[:5]
    assert during >= 3, f"only {during} turns were answered while the model loaded"
    assert follow_up.status_code == 200, follow_up.text
    assert follow_up.json()["topic"] == "passport", follow_up.json()  # the subject survived the swap
    assert "model.swap.done" in log and "Traceback" not in log, log[-3000:]
