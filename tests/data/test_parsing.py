"""What people type or say, and what the forms take from it (pure functions)."""

from __future__ import annotations

from datetime import date, time

import pytest

from actions.parsing import (
    find_booking_code,
    find_case_number,
    find_matter,
    find_phone_last4,
    parse_day,
    parse_time,
)
from knowledge.cleaning import normalise_phone, normalise_status, parse_datetime
from knowledge.reference import MATTER_KEYWORDS


@pytest.mark.parametrize("text,number,digits", [
    ("case SZ2024001234, phone ends 5678", "SZ2024001234", "5678"),
    ("办件编号SZ2024001234，手机尾号5678", "SZ2024001234", "5678"),
    ("my case number is sz2024001234 and my phone ends in 5678", "SZ2024001234", "5678"),
    ("SZ 2024 001234 尾号五六七八", "SZ2024001234", "5678"),  # spoken digits, spaced number
    ("编号是ＳＺ２０２４００１２３４", "SZ2024001234", None),  # full-width input method
    ("SZ二零二四零零一二三四", "SZ2024001234", None),  # ASR writes digits as characters
    ("case 2024001234", None, None),  # "case" is a word, not a prefix
    ("我的手机是13800135678", None, "5678"),
    ("last four digits are 0021", None, "0021"),
])
def test_case_number_and_phone_digits(text, number, digits):
    found = find_case_number(text)
    assert (found[0] if found else None) == number
    assert find_phone_last4(text) == digits


def test_a_lone_four_digit_group_counts_only_when_we_asked_for_it():
    assert find_phone_last4("5678") is None
    assert find_phone_last4("5678", anywhere=True) == "5678"
    assert find_phone_last4("five six seven eight", anywhere=True) == "5678"
    assert find_phone_last4("SZ2024001234", anywhere=True) is None  # digits of the case number


def test_booking_codes():
    assert find_booking_code("取消预约YY7k3p9q") == "YY7K3P9Q"
    assert find_booking_code("code yy-4m8n2k please") == "YY4M8N2K"
    assert find_booking_code("YY1234567") is None  # 1 is not in the code alphabet


@pytest.mark.parametrize("text,expected", [
    ("明天", date(2026, 11, 24)), ("后天", date(2026, 11, 25)), ("下周一", date(2026, 11, 30)),
    ("星期三", date(2026, 11, 25)), ("12月3日", date(2026, 12, 3)), ("3号", date(2026, 12, 3)),
    ("next Monday", date(2026, 11, 30)), ("on friday", date(2026, 11, 27)),
    ("2026-12-01", date(2026, 12, 1)), ("whenever", None),
])
def test_days(text, expected):
    assert parse_day(text, date(2026, 11, 23)) == expected  # a Monday


@pytest.mark.parametrize("text,expected", [
    ("9点半", time(9, 30)), ("下午两点", time(14, 0)), ("上午九点", time(9, 0)), ("十点半", time(10, 30)),
    ("14:00", time(14, 0)), ("2 pm", time(14, 0)), ("10 am", time(10, 0)), ("随便", None),
])
def test_times(text, expected):
    assert parse_time(text) == expected


def test_matters_from_free_text_prefer_the_longest_keyword():
    keywords = MATTER_KEYWORDS.items()
    assert find_matter("我要办护照", keywords) == "passport"
    assert find_matter("养老金认证", keywords) == "pension_certification"
    assert find_matter("renew my driving licence", keywords) == "driver_license"
    assert find_matter("随便问问", keywords) is None


def test_cleaning_of_exported_values():
    assert normalise_phone(" +86 138-0013-5678 ") == "13800135678"
    assert normalise_phone("0755-12345678") == "075512345678"
    with pytest.raises(ValueError):
        normalise_phone("call me")
    assert normalise_status("待补正") == "needs_more_documents"
    assert normalise_status("Under Review") == "under_review"
    assert parse_datetime("2024年5月7日 14:00", "d").isoformat() == "2024-05-07T06:00:00"
    assert parse_datetime("2024-05-07T06:00:00Z", "d").isoformat() == "2024-05-07T06:00:00"
    with pytest.raises(ValueError):
        parse_datetime("2024年2月30日", "d")


def test_letters_and_digits_spelled_one_by_one_are_read_as_written():
    assert find_case_number("S Z 2024 001234")[0] == "SZ2024001234"
    assert find_phone_last4("5 6 7 8", anywhere=True) == "5678"
    assert find_phone_last4("I am 6 years old", anywhere=True) is None
