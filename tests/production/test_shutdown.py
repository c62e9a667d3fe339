"""Graceful shutdown, with real processes: SIGTERM reaches the gateway while a web turn and a
WeChat turn are still waiting on the action server. The web turn still gets its answer, the
WeChat answer (already past WeChat's 5-second wait) still goes out through the customer-service
API, and the interaction log written on the way out holds both turns."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict

import httpx
import pyarrow.dataset as ds
import pytest

from assistant.settings import PROJECT_ROOT
from tests.conftest import free_port, wait_for_http
from tests.production.test_clean_start import existing_model_dir
from tests.wechat.fake_wechat import FakeWeChat
from tests.wechat.sender import WeChatSender, new_openid, text_xml

WECHAT_TOKEN = "shutdowntoken42"


def start(command: str, env: Dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "assistant", command], cwd=PROJECT_ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)  # a stopped process cannot act on SIGTERM
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.slow
def test_sigterm_during_slow_turns_answers_them_sends_the_wechat_reply_and_flushes_the_log(tmp_path):
    wechat = FakeWeChat("wxshutdown0001", "shutdown-secret").start(free_port())
    port, action_port = free_port(), free_port()
    var_dir = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(CIVIC_ENVIRONMENT="test", CIVIC_VAR_DIR=str(var_dir), CIVIC_PORT=str(port),
               CIVIC_ACTION_PORT=str(action_port), CIVIC_MODEL_DIR=str(existing_model_dir(tmp_path)),
               CIVIC_WECHAT_TOKEN=WECHAT_TOKEN, CIVIC_WECHAT_APP_ID=wechat.app_id,
               CIVIC_WECHAT_APP_SECRET=wechat.secret, CIVIC_WECHAT_API_BASE=wechat.url,
               CIVIC_ANALYTICS_FLUSH_SECONDS="3600",  # nothing written before the shutdown
               CIVIC_STT_ENABLED="false", CIVIC_RATE_LIMIT_EXEMPT="127.0.0.1")
    actions = start("actions", env, tmp_path / "actions.log")
    gateway = start("serve", env, tmp_path / "gateway.log")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"http://127.0.0.1:{action_port}/health", timeout=600, process=actions)  # a busy machine
        wait_for_http(f"{base}/healthz", timeout=600, process=gateway)
        deadline = time.monotonic() + 600
        while httpx.get(f"{base}/readyz", timeout=5).status_code != 200:
            assert time.monotonic() < deadline, "the gateway never became ready"
            time.sleep(0.5)
        sender = httpx.post(f"{base}/api/v1/session", timeout=30).json()["sender"]

        os.kill(actions.pid, signal.SIGSTOP)  # every turn that needs an action now waits
        web: Dict[str, httpx.Response] = {}
        web_turn = threading.Thread(target=lambda: web.update(reply=httpx.post(
            f"{base}/api/v1/chat", json={"sender": sender, "message": "我要办护照，要带什么材料"}, timeout=120)))
        web_turn.start()
        openid = new_openid()
        params, body = WeChatSender(WECHAT_TOKEN).envelope(text_xml(openid, "护照要带什么材料"), openid)
        passive = httpx.post(f"{base}/channels/wechat", params=params, content=body, timeout=30)
        assert passive.text == "success"  # past the reply budget: the answer will go out later
        assert web_turn.is_alive(), "the web turn did not wait for the action server"

        gateway.send_signal(signal.SIGTERM)
        time.sleep(2)
        assert gateway.poll() is None, "the gateway quit with turns in flight"
        os.kill(actions.pid, signal.SIGCONT)  # the slow turns can finish now

        web_turn.join(timeout=90)
        # uvicorn shuts down, then lets the signal end the process: what systemd calls a clean stop
        assert gateway.wait(timeout=60) in (0, -signal.SIGTERM)
    finally:
        stop(gateway)
        stop(actions)
        wechat.stop()
    reply = web["reply"]
    assert reply.status_code == 200, reply.text
    assert reply.json()["topic"] == "passport" and "护照" in reply.json()["replies"][0]["text"]
    sent = wechat.sent_texts(openid)
    assert sent and "护照" in sent[0], wechat.calls
    log = (tmp_path / "gateway.log").read_text()
    assert "gateway.stop" in log and "Traceback" not in log, log[-3000:]
    records = ds.dataset(str(var_dir / "logs"), format="parquet", partitioning="hive").to_table().to_pylist()
    assert sorted(r["channel"] for r in records) == ["web", "wechat"]
    assert all(r["topic"] == "passport" and not r["fallback"] for r in records), records
