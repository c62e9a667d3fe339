"""Redaction: tricky hand-picked cases and properties over whatever surrounds the number."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.redact import id15_valid, id18_valid, luhn_valid, redact

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(region: str, born: str, seq: str) -> str:
    body = region + born + seq
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def make_card(prefix: str) -> str:
    for last in "0123456789":
        if luhn_valid(prefix + last):
            return prefix + last
    raise AssertionError


ID_A = make_id("110101", "19900307", "851")
ID_X = next(make_id("410304", "19850725", f"{n:03d}") for n in range(1000)
            if make_id("410304", "19850725", f"{n:03d}").endswith("X"))
CARD = make_card("622202020000123456")  # 19 digits


def test_helpers_know_valid_from_invalid() -> None:
    assert id18_valid(ID_A) and id18_valid(ID_X) and id18_valid(ID_X.lower())
    assert not id18_valid(ID_A[:-1] + str((int(ID_A[-1]) + 1) % 10) if ID_A[-1] != "X" else ID_A)
    assert not id18_valid(make_id("110101", "19901332", "851"))  # month 13
    assert id15_valid("110101900307851") and not id15_valid("110101901307851")
    assert luhn_valid(CARD) and not luhn_valid(CARD[:-1] + str((int(CARD[-1]) + 1) % 10))


@pytest.mark.parametrize("text, expected", [
    (f"我的身份证号是{ID_A}，帮我查一下", "我的身份证号是<ID>，帮我查一下"),
    (f"证件号码{ID_X}", "证件号码<ID>"),
    (f"ID {ID_X.lower()} please", "ID <ID> please"),
    ("老身份证110101900307851还能用吗", "老身份证<ID>还能用吗"),
    ("电话 138 1234 5678 谢谢", "电话 <PHONE> 谢谢"),
    ("call me on 139-1234-5678.", "call me on <PHONE>."),
    ("+86 13912345678", "<PHONE>"),
    ("手机１３８１２３４５６７８", "手机<PHONE>"),  # full-width digits from a Chinese IME
    ("号码13812345678和13987654321", "号码<PHONE>和<PHONE>"),
    ("mail me at li.lei+gov@example.com.cn now", "mail me at <EMAIL> now"),
    (f"卡号{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}", "卡号<CARD>"),
    ("案件号：SB2024051300012 进度如何", "案件号：<CASE> 进度如何"),
    ("my case number is GA-2024-000123", "my case number is <CASE>"),
    ("受理编号为 A1B2C3D4", "受理编号为 <CASE>"),
    ("（2024）京0105民初12345号判决", "<CASE>判决"),
    ("我叫张三，想办护照", "我叫<NAME>，想办护照"),
    ("我叫王小明想办护照", "我叫<NAME>想办护照"),
    ("姓名：欧阳娜娜 电话：13812345678", "姓名：<NAME> 电话：<PHONE>"),
    ("my name is John Smith and I need a passport", "my name is <NAME> and I need a passport"),
    ("Name: ann lee", "Name: <NAME>"),
])
def test_tricky_cases(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "护照办理需要多少钱？",
    "how much does a passport cost in 2024?",
    "办理时间是9:00-17:00，电话12345",
    "refunding my fee for order 2024",
    "姓名变更怎么办",
    "what name should I write on the form",
    "我的快递单号是12345678",  # 8 digits: not personal by itself
    "",
])
def test_leaves_ordinary_text_alone(text: str) -> None:
    assert redact(text) == text


def test_a_card_number_failing_luhn_is_not_a_card() -> None:
    bad = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert "<CARD>" not in redact(f"卡号{bad}")


# --- properties: nothing that surrounds a valid number saves it ------------------------------------

ids = st.builds(
    make_id,
    st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
    st.dates(min_value=__import__("datetime").date(1920, 1, 1),
             max_value=__import__("datetime").date(2024, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def spell_mobile(number: str, style: int) -> str:
    return [
        number,
        f"{number[:3]} {number[3:7]} {number[7:]}",
        f"{number[:3]}-{number[3:7]}-{number[7:]}",
        f"+86 {number}",
        number.translate(FULL),
        f"{number[:3]} - {number[3:7]} - {number[7:]}",
    ][style]


def spell_id(number: str, style: int) -> str:
    return [number, number.lower(), number.translate(FULL), f"{number[:6]} {number[6:14]} {number[14:]}"][style]


def digits_of(text: str) -> str:
    folded = text.translate(str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx"))
    return re.sub(r"[\s\-+]", "", folded).upper()


surround = st.text(max_size=30)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ids, st.integers(0, 3), surround, surround)
def test_no_valid_id_survives(number: str, style: int, before: str, after: str) -> None:
    out = redact(before + spell_id(number, style) + after)
    assert number not in digits_of(out)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mobiles, st.integers(0, 5), surround, surround)
def test_no_mobile_survives(number: str, style: int, before: str, after: str) -> None:
    out = redact(before + spell_mobile(number, style) + after)
    assert number not in digits_of(out)


@given(st.text(max_size=200))
def test_redact_never_fails_and_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once
