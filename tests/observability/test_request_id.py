"""One id per request, in the answer's header and the gateway's log lines (the action server's
too: test_workers); never a caller's personal data dressed up as an id."""

from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest

from assistant import request_id
from tests.conftest import new_chat_sender


@pytest.mark.parametrize("given", [
    "0f8e2c4b-1d3a-4e5f-8a9b-0c1d2e3f4a5b", "5b0e1d6f9a2c4e8b9d7f1a3c5e7b9d1f", "nginx.req_01HZX3K",
])
def test_a_well_formed_short_id_is_kept(given: str) -> None:
    assert request_id.accept_or_new(given) == given


@pytest.mark.parametrize("given", [
    None, "", "short", "x" * 65, "has space 12345", "line\nbreak-1234", "ünïcode-12345678", "-leading-dash",
    "13800138000-abcd",  # a mobile number
    "11010519491231002X",  # an ID number (valid checksum)
    "SZ2024001234abc",  # a case number
])
def test_anything_else_gets_a_new_id(given) -> None:  # type: ignore[no-untyped-def]
    made = request_id.accept_or_new(given)
    assert made != given and request_id.acceptable(made)


def test_new_ids_are_unique_and_never_look_like_personal_data() -> None:
    made = {request_id.new_request_id() for _ in range(20000)}  # made without the redactor's check
    assert len(made) == 20000 and all(request_id.acceptable(m) for m in made)


@pytest.fixture()
def gateway_lines() -> Iterator[List[str]]:
    """The gateway's log lines (logger ``civic``) while the test runs."""
    lines: List[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = Keep()
    logging.getLogger("civic").addHandler(handler)
    try:
        yield lines
    finally:
        logging.getLogger("civic").removeHandler(handler)


def wait_for_line(path: Path, *parts: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if all(part in line for part in parts):
                return line
        time.sleep(0.2)
    raise AssertionError(f"no line with {parts} in {path}")


def test_a_turn_s_gateway_lines_carry_the_caller_s_id_and_no_personal_data(observed, gateway_lines) -> None:
    # letters only: a random hex id now and then holds a digit run the redactor reads as a phone
    # number, and then, rightly, is not kept
    rid = "obs-" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex)
    sender = new_chat_sender(observed)
    response = observed.post("/api/v1/chat", headers={"X-Request-ID": rid},
                             json={"sender": sender, "message": "我叫张三，电话13800138000，护照怎么办"})
    assert response.status_code == 200 and response.json()["topic"] == "passport"
    assert response.headers["X-Request-ID"] == rid
    turn_lines = [line for line in gateway_lines if line.startswith("chat.turn ")]
    assert len(turn_lines) == 1 and turn_lines[0].endswith(f"rid={rid}")
    everything = "\n".join(gateway_lines)
    assert "13800138000" not in everything and "张三" not in everything and sender not in everything


def test_a_bad_id_is_replaced_and_every_request_gets_one(observed, gateway_lines) -> None:
    refused = observed.get("/api/v1/matters/passport", headers={"X-Request-ID": "13800138000-please-log-me"})
    assert refused.status_code == 200
    made = refused.headers["X-Request-ID"]
    assert made != "13800138000-please-log-me" and request_id.acceptable(made)
    first, second = observed.get("/healthz"), observed.get("/healthz")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    unauthorised = observed.get("/metrics")
    assert unauthorised.status_code == 401
    assert any(line.startswith("http.error path=/metrics") and line.endswith(f"rid={unauthorised.headers['X-Request-ID']}")
               for line in gateway_lines)
    assert request_id.current() is None  # nothing leaks out of a request
