"""The case check's lockout, the same body over SQLite and PostgreSQL (the lockout lives in the
database, where no cache eviction can drop it)."""

from __future__ import annotations

from knowledge.case_check import MAX_CASE_FAILURES, MAX_FAILURES, check_case, unlock_case
from knowledge.cases import push_cases
from knowledge.db import make_engine, make_sessionmaker
from tests.data.conftest import new_case_number, record


def test_right_pair_shows_the_case_and_wrong_or_unknown_reveal_nothing(sessions):
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number, status="approved")])
    ok = check_case(sessions, number, "5678", who="a")
    assert ok.result == "ok" and ok.case.status == "approved" and ok.case.department_code == "exit_entry"
    wrong = check_case(sessions, number, "0000", who="a")
    unknown = check_case(sessions, new_case_number(), "5678", who="a")
    assert (wrong.result, wrong.case) == (unknown.result, unknown.case) == ("mismatch", None)
    assert wrong.failures == unknown.failures == 1


def test_five_failures_lock_the_number_for_that_requester_even_for_the_right_digits(sessions):
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)])
    results = [check_case(sessions, number, f"{i:04d}", who="guesser").result for i in range(MAX_FAILURES)]
    assert results == ["mismatch"] * (MAX_FAILURES - 1) + ["locked"]
    assert check_case(sessions, number, "5678", who="guesser").result == "locked"
    assert check_case(sessions, number, "5678", who="owner").result == "ok"  # a stranger's lock is theirs
    other = new_case_number()  # the lock is per case number
    push_cases(sessions, "exit_entry", [record(other)])
    assert check_case(sessions, other, "5678", who="guesser").result == "ok"
    # an unknown number locks the same way: the lockout does not tell numbers apart
    ghost = new_case_number()
    assert [check_case(sessions, ghost, "1111", who="g").result for _ in range(MAX_FAILURES)][-1] == "locked"


def test_many_requesters_lock_the_number_for_all_but_who_passed_before(sessions):
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)])
    assert check_case(sessions, number, "5678", who="owner-phone").result == "ok"
    results = [check_case(sessions, number, "0000", who=f"bot-{i}").result for i in range(MAX_CASE_FAILURES)]
    assert results[-1] == "locked" and set(results[:-1]) == {"mismatch"}
    assert check_case(sessions, number, "5678", who="fresh-id").result == "locked"
    assert check_case(sessions, number, "5678", who="owner-phone").result == "ok"
    assert unlock_case(sessions, number) == 1  # staff, after checking an ID card at the hall
    assert check_case(sessions, number, "5678", who="owner-new-phone").result == "ok"


def test_a_success_clears_earlier_failures(sessions):
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)])
    for _ in range(MAX_FAILURES - 1):
        check_case(sessions, number, "0000", who="a")
    assert check_case(sessions, number, "5678", who="a").result == "ok"
    assert check_case(sessions, number, "0000", who="a").failures == 1


def test_two_workers_share_the_count_through_the_database(sessions, db_url):
    other_engine = make_engine(db_url)
    try:
        first, second = sessions, make_sessionmaker(other_engine)
        number = new_case_number()
        push_cases(sessions, "exit_entry", [record(number)])
        for i in range(MAX_FAILURES - 1):
            check_case(first if i % 2 else second, number, "0000", who="w")
        assert check_case(first, number, "0000", who="w").result == "locked"
        assert check_case(second, number, "5678", who="w").result == "locked"
    finally:
        other_engine.dispose()
