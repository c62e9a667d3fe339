"""Speech recognition's worker processes under faults (issue 15): a worker that dies costs only
the upload it had (503 with Retry-After) and the next upload gets a new worker; a gateway that
dies without its shutdown (killed) takes its workers with it, so no orphan keeps a model."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Iterator, List, Tuple

import httpx
import pytest

from tests.conftest import free_port
from tests.faults.conftest import Process, wait_until


def _descendants(pid: int) -> List[int]:
    found: List[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            children = [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found


def _children(pid: int) -> List[int]:
    """The gateway's speech worker processes: below gunicorn's worker, which serves the uploads
    (multiprocessing's resource tracker is a child too, and is not one of them)."""
    found = []
    for child in _descendants(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except FileNotFoundError:
            pass
    return found


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[1])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory) -> bytes:  # type: ignore[no-untyped-def]
    path = Path(tmp_path_factory.mktemp("speech")) / "question.wav"
    subprocess.run(["espeak-ng", "-w", str(path), "How much is a passport"], check=True, capture_output=True,
                   timeout=30)
    return path.read_bytes()


@pytest.fixture()
def gateway(base_env, tmp_path_factory) -> Iterator[Tuple[Process, str]]:  # type: ignore[no-untyped-def]
    """A gateway process of its own (no Rasa model: speech needs none), memory stores."""
    var = tmp_path_factory.mktemp("speech-faults")
    port = free_port()
    env = dict(base_env, CIVIC_PORT=str(port), CIVIC_VAR_DIR=str(var), CIVIC_MODEL_DIR=str(var / "no-model"),
               CIVIC_DATABASE_URL=f"sqlite:///{var / 'civic.db'}", CIVIC_TTS_ENGINE_EN="espeak",
               CIVIC_TTS_ENGINE_ZH="espeak")
    url = f"http://127.0.0.1:{port}"
    process = Process("serve", env, var / "gateway.log", f"{url}/healthz")
    process.start()
    try:
        yield process, url
    finally:
        process.stop()


def _upload(url: str, wav: bytes) -> httpx.Response:
    return httpx.post(f"{url}/api/v1/stt", files={"audio": ("q.wav", wav)}, data={"lang": "en"}, timeout=300)


def test_a_dead_worker_costs_one_upload_and_is_replaced(gateway, spoken_wav: bytes) -> None:  # type: ignore[no-untyped-def]
    process, url = gateway
    assert _upload(url, spoken_wav).status_code == 200
    (worker,) = _children(process.process.pid)
    os.kill(worker, signal.SIGKILL)  # out of memory, a crash in the model's library
    wait_until(lambda: not _alive(worker), 10, "the worker did not die")
    lost = _upload(url, spoken_wav)
    assert lost.status_code == 503 and int(lost.headers["retry-after"]) >= 1, lost.text
    again = _upload(url, spoken_wav)
    assert again.status_code == 200 and "passport" in again.json()["text"].lower()
    assert worker not in _children(process.process.pid)
    assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200


def test_a_killed_gateway_leaves_no_worker_behind(gateway, spoken_wav: bytes) -> None:  # type: ignore[no-untyped-def]
    process, url = gateway
    assert _upload(url, spoken_wav).status_code == 200
    workers = _children(process.process.pid)
    assert workers
    serving = _parent(workers[0])  # gunicorn's worker process: the one that owns the speech pool
    os.kill(serving, signal.SIGKILL)  # no lifespan shutdown: nothing tells the workers
    started = time.monotonic()
    wait_until(lambda: not any(_alive(pid) for pid in workers), 10, "a speech worker outlived its gateway")
    assert time.monotonic() - started < 10
