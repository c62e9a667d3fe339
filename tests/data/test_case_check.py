"""The case check's lockout, the same body over the in-memory store and Redis."""

from __future__ import annotations

import uuid

import pytest

from assistant.state import MemoryStore, RedisStore
from knowledge.case_check import MAX_FAILURES, check_case
from knowledge.cases import push_cases
from tests.data.conftest import new_case_number, record


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryStore()
    url = request.getfixturevalue("redis_url")
    return RedisStore(url, prefix=f"civic-test-{uuid.uuid4().hex[:8]}:")


def test_right_pair_shows_the_case_and_wrong_or_unknown_reveal_nothing(sessions, store):
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number, status="approved")])
    ok = check_case(sessions, store, number, "5678")
    assert ok.result == "ok" and ok.case.status == "approved" and ok.case.department_code == "exit_entry"
    wrong = check_case(sessions, store, number, "0000")
    unknown = check_case(sessions, store, new_case_number(), "5678")
    assert (wrong.result, wrong.case) == (unknown.result, unknown.case) == ("mismatch", None)
    assert wrong.failures == unknown.failures == 1


def test_five_failures_lock_the_number_even_for_the_right_digits(sessions, store):
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)])
    results = [check_case(sessions, store, number, f"{i:04d}").result for i in range(MAX_FAILURES)]
    assert results == ["mismatch"] * (MAX_FAILURES - 1) + ["locked"]
    assert check_case(sessions, store, number, "5678").result == "locked"
    other = new_case_number()  # the lock is per case number
    push_cases(sessions, "exit_entry", [record(other)])
    assert check_case(sessions, store, other, "5678").result == "ok"
    # an unknown number locks the same way: the lockout does not tell numbers apart
    ghost = new_case_number()
    assert [check_case(sessions, store, ghost, "1111").result for _ in range(MAX_FAILURES)][-1] == "locked"


def test_a_success_clears_earlier_failures(sessions, store):
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)])
    for _ in range(MAX_FAILURES - 1):
        check_case(sessions, store, number, "0000")
    assert check_case(sessions, store, number, "5678").result == "ok"
    assert check_case(sessions, store, number, "0000").failures == 1


def test_two_workers_share_the_count_through_redis(sessions, redis_url):
    prefix = f"civic-test-{uuid.uuid4().hex[:8]}:"
    first, second = RedisStore(redis_url, prefix), RedisStore(redis_url, prefix)
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)])
    for i in range(MAX_FAILURES - 1):
        check_case(sessions, first if i % 2 else second, number, "0000")
    assert check_case(sessions, first, number, "0000").result == "locked"
    assert check_case(sessions, second, number, "5678").result == "locked"
