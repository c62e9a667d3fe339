"""The Rasa action server (issue 15): bound to 127.0.0.1, only for callers holding the shared
token, no CORS, and a deflate body cannot inflate past the size limit."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path
from typing import Dict, Iterator, Tuple

import httpx
import pytest

from assistant.settings import PROJECT_ROOT
from tests.conftest import free_port, wait_for_http

TOKEN = "Ak3vN8rT2wLm5pXc9zKd4fGj7sYb1aEu6x"


@pytest.fixture(scope="module")
def guarded_server(base_env: Dict[str, str]) -> Iterator[Tuple[str, subprocess.Popen]]:
    port = free_port()
    env = dict(base_env, CIVIC_ACTION_PORT=str(port), CIVIC_ACTION_TOKEN=TOKEN)
    env.pop("SANIC_HOST", None)
    process = subprocess.Popen([sys.executable, "-m", "assistant", "actions"], cwd=PROJECT_ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/health", timeout=90, process=process)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=15)


def listening_addresses(port: int) -> set:
    """Local addresses of the LISTEN sockets on ``port``, read from /proc/net/tcp(6)."""
    found = set()
    for name in ("tcp", "tcp6"):
        path = Path(f"/proc/net/{name}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":
                raw = bytes.fromhex(address)
                if name == "tcp":
                    found.add(".".join(str(b) for b in reversed(raw)))
                else:
                    found.add("::1" if raw == bytes(15) + b"\x01" else ("::" if raw == bytes(16) else raw.hex()))
    return found


def test_binds_localhost_only_by_default(guarded_server) -> None:
    url, _ = guarded_server
    port = int(url.rsplit(":", 1)[1])
    assert listening_addresses(port) == {"127.0.0.1"}


def test_calls_without_the_token_are_refused(guarded_server) -> None:
    url, _ = guarded_server
    call = {"next_action": "action_book_appointment", "sender_id": "x", "version": "3.6.2",
            "tracker": {"sender_id": "x", "slots": {}, "events": [], "latest_message": {}}, "domain": {}}
    assert httpx.post(f"{url}/webhook", json=call).status_code == 401
    assert httpx.post(f"{url}/webhook", json=call, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert httpx.get(f"{url}/actions").status_code == 401
    listed = httpx.get(f"{url}/actions", headers={"Authorization": f"Bearer {TOKEN}"})
    assert listed.status_code == 200 and {"name": "action_check_case"} in listed.json()


def test_no_cors_for_any_origin(guarded_server) -> None:
    url, _ = guarded_server
    origin = {"Origin": "https://evil.example"}
    assert "access-control-allow-origin" not in httpx.get(f"{url}/health", headers=origin).headers
    preflight = httpx.options(f"{url}/webhook", headers=dict(origin, **{"Access-Control-Request-Method": "POST"}))
    assert "access-control-allow-origin" not in preflight.headers


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def test_a_deflate_bomb_does_not_inflate(guarded_server) -> None:
    url, process = guarded_server
    packer = zlib.compressobj(9)
    chunk = b"a" * (1024 * 1024)
    body = packer.compress(b'{"next_action": "') + b"".join(packer.compress(chunk) for _ in range(200))
    body += packer.flush()
    assert len(zlib.decompressobj().decompress(body, 100)) == 100  # a real zlib stream
    assert len(body) < 300 * 1024  # ~200 KB on the wire, 200 MB once inflated
    before = peak_rss_mb(process.pid)
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        response = httpx.post(f"{url}/webhook", content=body, timeout=60,
                              headers=dict(headers, **{"Content-Encoding": "deflate",
                                                        "Content-Type": "application/json"}))
        assert response.status_code in (401, 413), response.status_code
    assert peak_rss_mb(process.pid) - before < 50
    assert httpx.get(f"{url}/health").status_code == 200
