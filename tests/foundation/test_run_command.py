"""`civic run` (what `make run` starts): everything comes up, answers, and Ctrl-C stops it all."""

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from assistant.settings import PROJECT_ROOT
from tests.conftest import free_port, new_chat_sender, wait_for_http


def children_of(pid: int) -> list:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in result.stdout.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = open(f"/proc/{pid}/stat").read().split()[2] if os.path.exists(f"/proc/{pid}/stat") else "X"
    return stat != "Z"


@pytest.mark.slow
def test_run_starts_everything_prints_urls_and_stops_cleanly_on_ctrl_c(base_env, trained_model):
    port, action_port = free_port(), free_port()
    env = dict(base_env, CIVIC_PORT=str(port), CIVIC_ACTION_PORT=str(action_port))
    run = subprocess.Popen([sys.executable, "-m", "assistant", "run", "--no-seed"], cwd=PROJECT_ROOT,
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/healthz", timeout=180, process=run)
        deadline = time.monotonic() + 180
        output = ""
        while "Press Ctrl-C" not in output and time.monotonic() < deadline:
            output += run.stdout.readline()
        assert f"{base}/api/v1/chat" in output and f"{base}/openapi.json" in output
        reply = httpx.post(f"{base}/api/v1/chat", json={"sender": new_chat_sender(base), "message": "hello"}).json()
        assert reply["lang"] == "en" and reply["replies"]
        assert httpx.get(f"http://127.0.0.1:{action_port}/health").status_code == 200
        children = children_of(run.pid)
        assert len(children) == 2

        run.send_signal(signal.SIGINT)
        assert run.wait(timeout=30) == 0
        time.sleep(0.5)
        assert not [c for c in children if alive(c)], "a child process outlived civic run"
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{base}/healthz", timeout=2)
    finally:
        if run.poll() is None:
            run.kill()
