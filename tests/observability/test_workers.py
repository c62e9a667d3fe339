"""The real gateway process with two workers (``civic serve``, CIVIC_WORKERS=2, Redis, PostgreSQL):
whichever worker answers the scrape, the counts are those of both; and a turn's request id is in
the gateway process's log and in the action server's."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterator, Optional, Set, Tuple

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector

from assistant.settings import PROJECT_ROOT, Settings
from tests.conftest import free_port, wait_for_http
from tests.observability.conftest import METRICS_TOKEN, scrape, value
from tests.observability.test_request_id import wait_for_line
from tests.production.stack import parent_pid, tree_pids

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_workers(base_env: Dict[str, str], trained_model: Path, logged_action_server: Tuple[str, Path],
                redis_url: str, postgres_url: str, test_settings: Settings,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[str, Path, Path, int]]:
    """(base URL, the gateway's log, its metrics folder, gunicorn's pid) of ``civic serve`` with
    two workers."""
    port = free_port()
    log = tmp_path_factory.mktemp("gateway") / "gateway.log"
    env = dict(base_env, CIVIC_PORT=str(port), CIVIC_WORKERS="2", CIVIC_REDIS_URL=redis_url,
               CIVIC_DATABASE_URL=postgres_url, CIVIC_ACTION_URL=logged_action_server[0], CIVIC_LOG_LEVEL="INFO",
               CIVIC_METRICS_TOKEN=METRICS_TOKEN)
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], cwd=PROJECT_ROOT, env=env,
                                   stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/healthz", timeout=400, process=process)
        deadline = time.monotonic() + 400  # both workers loaded (each logs gateway.start when it is)
        while log.read_text(errors="replace").count("gateway.start ") < 2:
            assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.5)
        yield url, log, test_settings.var_dir / "metrics", process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def turn(url: str, message: str = "护照怎么办", headers: Optional[Dict[str, str]] = None) -> httpx.Response:
    """One web turn on a connection of its own (so the kernel may hand it to either worker)."""
    with httpx.Client(timeout=60) as client:
        sender = client.post(f"{url}/api/v1/session").json()["sender"]
        response = client.post(f"{url}/api/v1/chat", json={"sender": sender, "message": message},
                               headers=headers or {})
        assert response.status_code == 200, response.text
        return response


def workers_with_turns(folder: Path) -> Set[str]:
    """The pids whose own metrics file holds turns (each worker writes its own file)."""
    pids = set()
    for path in folder.glob("counter_*.db"):
        for metric in MultiProcessCollector.merge([str(path)]):
            if metric.name == "civic_turns" and any(s.value > 0 for s in metric.samples):
                pids.add(path.stem.split("_", 1)[1])
    return pids


def test_scrapes_count_the_turns_of_every_worker(two_workers) -> None:
    url, _, folder, _ = two_workers
    sent = 0
    with ThreadPoolExecutor(4) as pool:
        while len(workers_with_turns(folder)) < 2 and sent < 48:
            list(pool.map(lambda _: turn(url), range(4)))
            sent += 4
    assert len(workers_with_turns(folder)) == 2, "the turns all went to one worker"
    for _ in range(6):  # new connections: either worker may answer; each must report both
        with httpx.Client(base_url=url, timeout=30) as client:
            samples = scrape(client)
        assert value(samples, "civic_turns_total", channel="web") == sent
        assert value(samples, "civic_http_request_duration_seconds_count", route="/api/v1/chat") == sent
        assert value(samples, "civic_dependency_up", dependency="redis") == 1
        assert value(samples, "civic_dependency_up", dependency="database") == 1
        assert value(samples, "civic_pool_queued_jobs", pool="io") == 0


def test_the_gateway_process_and_the_action_server_log_the_same_request_id(two_workers, logged_action_server) -> None:
    url, log, _, _ = two_workers
    _, action_log = logged_action_server
    # letters only: a random hex id now and then holds a digit run the redactor rightly reads as a
    # phone number, and then the line carries the redacted id
    rid = "obs-" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex)
    response = turn(url, "我叫张三，电话13800138000，护照怎么办", {"X-Request-ID": rid})
    assert response.headers["X-Request-ID"] == rid
    assert wait_for_line(log, "chat.turn", "channel=web", "topic=passport", f"rid={rid}")
    # the action that ran is the model's pick (the guide, or the hand-off that finds no request for a
    # person in these words and runs the guide); either logs the gateway's id
    assert "outcome=ok" in wait_for_line(action_log, "actions.run", f"rid={rid}")
    for path in (log, action_log):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "13800138000" not in text and "张三" not in text


def test_each_worker_runs_the_model_on_its_share_of_the_cores(two_workers) -> None:
    """Two workers, each with TensorFlow pools as wide as the machine, stall each other; each gets
    its share (CIVIC_MODEL_THREADS unset: the cores divided by the workers, at least one)."""
    share = str(max(1, (os.cpu_count() or 1) // 2))
    master = two_workers[3]
    workers = [pid for pid in tree_pids(master) if parent_pid(pid) == master]  # not the processes below them
    assert len(workers) == 2
    for pid in workers:
        environ = dict(item.split("=", 1) for item in
                       Path(f"/proc/{pid}/environ").read_text(errors="replace").split("\0") if "=" in item)
        assert environ["TF_NUM_INTRAOP_THREADS"] == environ["TF_NUM_INTEROP_THREADS"] == share
