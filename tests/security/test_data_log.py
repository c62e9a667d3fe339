"""The interaction log survives any text and a SIGTERM (issue 15, "Losing data"): a lone
surrogate once stopped logging for good and the records after it were lost at shutdown; the same
character in ``sender`` gave a 500."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pyarrow.dataset as ds
import pytest

from analytics.listener import TurnLogger
from analytics.writer import LogWriter
from assistant.core.conversation import validate_turn
from assistant.core.turns import Reply, Turn, TurnResult
from assistant.errors import InputError
from assistant.settings import PROJECT_ROOT
from tests.conftest import free_port, new_chat_sender, wait_for_http
from tests.data.conftest import NoConversation

T0 = datetime(2024, 3, 4, 8, 0, tzinfo=timezone.utc)


def read(root: Path) -> list:
    if not any(root.rglob("*.parquet")):
        return []
    return ds.dataset(str(root), format="parquet", partitioning="hive").to_table().to_pylist()


def result(sender: str) -> TurnResult:
    return TurnResult(sender=sender, lang="zh", replies=[Reply("好的")], topic=None, intent=None, confidence=None)


async def test_a_lone_surrogate_does_not_stop_the_log(tmp_path: Path) -> None:
    clock = iter(T0 + timedelta(seconds=i) for i in range(100))
    writer = LogWriter(str(tmp_path), flush_seconds=3600).start()
    logger = TurnLogger(writer, salt="pepper", clock=lambda: next(clock))
    texts = ["办护照", "bad \ud800 text", "lone low \udfff", "再问一个问题"]
    for text in texts[:2]:
        await logger(Turn("web-1", text), result("web-1"), 0.1)
    writer.flush()  # the flush that used to fail, and put the bad record back for ever
    for text in texts[2:]:
        await logger(Turn("web-\ud800", text), result("web-\ud800"), 0.1)
    writer.close()
    rows = sorted(read(tmp_path), key=lambda r: r["ts"])
    assert [r["text"] for r in rows] == ["办护照", "bad \ufffd text", "lone low \ufffd", "再问一个问题"]
    assert writer.pending() == 0 and writer.dropped == 0


def test_a_record_no_storage_can_take_is_set_aside_not_retried_for_ever(tmp_path: Path) -> None:
    writer = LogWriter(str(tmp_path), flush_seconds=3600)
    good = {"ts": T0, "conversation_id": "c", "user_hash": "u", "channel": "web", "mode": "standard",
            "lang": "zh", "text": "好", "intent": None, "topic": None, "confidence": None,
            "fallback": False, "handoff": False, "latency_ms": 1.0, "rating": None}
    writer.add(good)
    writer.add(dict(good, text="\ud800"))  # bypassing make_record, as a future producer might
    writer.add(dict(good, latency_ms="fast"))
    writer.add(dict(good, text="后来的"))
    assert writer.flush() == 2
    writer.close()
    assert sorted(r["text"] for r in read(tmp_path)) == ["后来的", "好"]
    assert writer.rejected == 2 and writer.pending() == 0


@pytest.mark.parametrize("sender", ["web-\ud800", "web-\udfff-x", "nul\u0000id", "tab\tid"])
def test_an_unusable_sender_is_a_clear_client_error(test_settings, sender: str) -> None:
    from fastapi.testclient import TestClient

    from assistant.gateway.app import create_app

    with pytest.raises(InputError, match="sender"):
        validate_turn(Turn(sender, "你好"), 2000)
    body = json.dumps({"sender": sender, "message": "你好"}, ensure_ascii=True)
    with TestClient(create_app(test_settings, backend=NoConversation())) as client:
        answer = client.post("/api/v1/chat", content=body, headers={"Content-Type": "application/json"})
    assert 400 <= answer.status_code < 500, answer.text
    assert "sender" in answer.json()["error"]


@pytest.mark.slow
def test_sigterm_loses_no_record(base_env, trained_model, action_server, tmp_path: Path) -> None:
    """A real gateway process, turns buffered (flush only every hour), one with a surrogate, then
    SIGTERM: every turn is in the Parquet log afterwards."""
    port = free_port()
    logs = tmp_path / "turn-logs"
    # every turn runs the guide action: without the action server a turn is the polite 503
    env = dict(base_env, CIVIC_PORT=str(port), CIVIC_ANALYTICS_LOG_PATH=str(logs), CIVIC_ACTION_URL=action_server,
               CIVIC_ANALYTICS_FLUSH_SECONDS="3600", CIVIC_ANALYTICS_BATCH_SIZE="100000")
    process = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], cwd=PROJECT_ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/healthz", timeout=180, process=process)
        messages = ["你好", "hello \ud800", "办护照需要什么材料", "谢谢", "\udfff再见"]
        answered = 0
        senders = [new_chat_sender(url), new_chat_sender(url)]
        for number, message in enumerate(messages):
            body = json.dumps({"sender": senders[number % 2], "message": message}, ensure_ascii=True)
            reply = httpx.post(f"{url}/api/v1/chat", content=body, timeout=60,
                               headers={"Content-Type": "application/json"})
            answered += reply.status_code == 200
        assert answered == len(messages)
        assert not list(logs.rglob("*.parquet"))  # all still in the buffer
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while not read(logs) and time.monotonic() < deadline:
        time.sleep(0.2)
    rows = read(logs)
    assert len(rows) == len(messages)
    assert sorted(r["text"] for r in rows) == sorted(m.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")
                                                       for m in messages)
