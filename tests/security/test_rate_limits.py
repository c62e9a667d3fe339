"""Rate limits (issue 15): one contract for the memory and the Redis limiter, and 429 with
Retry-After on every public endpoint, shared by every gateway worker through Redis."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from assistant.errors import RateLimitedError
from assistant.gateway.app import create_app
from assistant.gateway.routes.staff import MAX_ACCOUNT_FAILURES
from assistant.ratelimit import MemoryRateLimiter, Rate, RateLimiter, check, create_rate_limiter
from assistant.settings import Settings
from tests.security.conftest import client_address


@pytest.fixture(params=["memory", "redis"])
def limiter(request, redis_url: str) -> RateLimiter:  # type: ignore[no-untyped-def]
    if request.param == "memory":
        return MemoryRateLimiter()
    return create_rate_limiter(redis_url, prefix=f"civic-test:{uuid.uuid4().hex[:8]}:rl:")


def test_limiter_contract(limiter: RateLimiter) -> None:
    rate = Rate(3, 0.5)
    decisions = [limiter.hit("case:SZ2024001234", rate) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert 0 < decisions[-1].retry_after <= 0.5
    assert limiter.hit("case:SZ2024009999", rate).allowed  # subjects are counted apart
    with pytest.raises(RateLimitedError) as raised:
        check(limiter, "case:SZ2024001234", rate, "case checks")
    assert raised.value.retry_after >= 1
    time.sleep(0.6)
    assert limiter.hit("case:SZ2024001234", rate).allowed  # the window reopens
    limiter.reset("case:SZ2024009999")
    assert limiter.hit("case:SZ2024009999", Rate(1, 60)).allowed


def test_limiter_counts_concurrent_hits_exactly(limiter: RateLimiter) -> None:
    rate = Rate(5, 60)
    with ThreadPoolExecutor(12) as pool:
        allowed = sum(pool.map(lambda _: limiter.hit("login:li.ming", rate).allowed, range(12)))
    assert allowed == 5


@pytest.mark.parametrize("method,path,body,limit", [
    ("post", "/api/v1/chat", {"sender": "s", "message": "hi"}, 12),
    ("post", "/webhooks/rest/webhook", {"sender": "s", "message": "hi"}, 12),
    ("post", "/api/v1/tts", {"text": "", "lang": "en"}, 30),
    ("post", "/staff/login", {"username": "", "password": ""}, 20),
    ("get", "/api/v1/search?q=x", None, 300),
])
def test_each_public_endpoint_answers_429_with_retry_after(limited_settings: Settings, method: str, path: str,
                                                          body, limit: int) -> None:  # type: ignore[no-untyped-def]
    address = client_address()
    # two gateways on one Redis are two workers: the limit is theirs together
    with TestClient(create_app(limited_settings), client=(address, 1)) as one, \
            TestClient(create_app(limited_settings), client=(address, 2)) as two:
        codes = [getattr(one if i % 2 else two, method)(path, **({"json": body} if body else {})).status_code
                 for i in range(limit)]
        assert 429 not in codes
        refused = getattr(one, method)(path, **({"json": body} if body else {}))
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    with TestClient(create_app(limited_settings), client=(client_address(), 1)) as other:
        assert getattr(other, method)(path, **({"json": body} if body else {})).status_code != 429


def test_concurrent_login_guesses_from_many_addresses_cannot_race_past_the_account_limit(
        limited_settings: Settings) -> None:
    # One address gets five guesses (tests/security/test_secrets_fail_closed.py); every address
    # together gets MAX_ACCOUNT_FAILURES, counted atomically in Redis across two workers: the
    # guesses past it never reach the password check.
    name = f"guess-{uuid.uuid4().hex[:6]}"
    guesses = MAX_ACCOUNT_FAILURES + 10
    workers = [TestClient(create_app(limited_settings), client=(client_address(), 1)) for _ in range(2)]
    for worker in workers:
        worker.__enter__()
    try:
        clients = [TestClient(workers[i % 2].app, client=(client_address(), 1)) for i in range(guesses)]
        # each guess from its own address, four at a time: within the login pools' places (a
        # fuller pool answers 503 before counting), so every guess meets the shared counter
        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(lambda c: c.post("/staff/login", json={"username": name, "password": "x"})
                                  .status_code, clients))
    finally:
        for worker in workers:
            worker.__exit__(None, None, None)
    assert codes.count(401) <= MAX_ACCOUNT_FAILURES and codes.count(429) >= guesses - MAX_ACCOUNT_FAILURES, \
        sorted(codes).__repr__()
