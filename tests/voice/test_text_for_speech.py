"""Numbers, dates, times, amounts, phone and case numbers read the way people say them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from assistant.voice.text_for_speech import en_number, en_ordinal, en_year, for_speech, zh_number


@pytest.mark.parametrize("n, spoken", [
    (0, "零"), (7, "七"), (10, "十"), (15, "十五"), (20, "二十"), (105, "一百零五"), (110, "一百一十"),
    (1200, "一千二百"), (2000, "两千"), (10015, "一万零一十五"), (20000, "两万"), (100000, "十万"),
    (1000000, "一百万"), (100000000, "一亿"), (100010000, "一亿零一万"),
])
def test_chinese_numbers(n: int, spoken: str) -> None:
    assert zh_number(n) == spoken


@pytest.mark.parametrize("text, spoken", [
    ("首次申领20元，补领40元", "首次申领二十元，补领四十元"),
    ("7个工作日办结", "七个工作日办结"),
    ("需要2个工作日，带2张照片", "需要两个工作日，带两张照片"),
    ("请于2024-03-05到窗口", "请于二零二四年三月五日到窗口"),
    ("2024年3月15日起实施", "二零二四年三月十五日起实施"),
    ("上午9:30开门，17:00下班", "上午九点半开门，十七点下班"),
    ("8:05到", "八点零五分到"),
    ("咨询电话12345", "咨询电话一二三四五"),
    ("手机13812345678", "手机幺三八幺二三四五六七八"),
    ("座机0571-88886666", "座机零五七一，八八八八六六六六"),
    ("您的办件号SB2024-000123", "您的办件号艾斯必二零二四零零零一二三"),
    ("报销比例50%", "报销比例百分之五十"),
    ("收费¥1,200", "收费一千二百元"),
    ("3-5个工作日", "三到五个工作日"),
    ("约2.5小时", "约二点五小时"),
    ("共1,000,000人", "共一百万人"),
    ("契税按房价的1%-3%缴纳", "契税按房价的百分之一到百分之三缴纳"),
    ("报销5-10%", "报销百分之五到百分之十"),
    ("下载APP后上传PDF", "下载诶披披后上传披迪艾弗"),
])
def test_chinese_replies(text: str, spoken: str) -> None:
    assert for_speech(text, "zh") == spoken


@pytest.mark.parametrize("n, words", [
    (0, "zero"), (13, "thirteen"), (21, "twenty-one"), (100, "one hundred"),
    (1234, "one thousand two hundred thirty-four"), (1000000, "one million"),
])
def test_english_numbers(n: int, words: str) -> None:
    assert en_number(n) == words


def test_english_ordinals_and_years() -> None:
    assert [en_ordinal(n) for n in (1, 2, 3, 5, 12, 20, 21, 31)] == [
        "first", "second", "third", "fifth", "twelfth", "twentieth", "twenty-first", "thirty-first"]
    assert [en_year(y) for y in (2000, 2008, 2024, 1999, 1905)] == [
        "two thousand", "two thousand eight", "twenty twenty-four", "nineteen ninety-nine", "nineteen oh five"]


@pytest.mark.parametrize("text, spoken", [
    ("First card: 20 yuan.", "First card: twenty yuan."),
    ("Come on 2024-03-05.", "Come on March fifth, twenty twenty-four."),
    ("Open 9:00 to 17:30.", "Open nine o'clock to seventeen thirty."),
    ("Arrive at 9:05 am", "Arrive at nine oh five a m"),
    ("Opens at 9am", "Opens at nine a m"),
    ("Call 12345 any time.", "Call one two three four five any time."),
    ("Your case number is SB2024-000123.", "Your case number is S B two zero two four zero zero zero one two three."),
    ("Fee ¥1,200, 50% off", "Fee one thousand two hundred yuan, fifty percent off"),
    ("3-5 working days", "three to five working days"),
    ("on March 5 or the 21st", "on March fifth or the twenty-first"),
    ("in 2024", "in twenty twenty-four"),
    ("Bring 2 photos", "Bring two photos"),
    ("Deed tax is 1%-3% of the price", "Deed tax is one to three percent of the price"),
    ("aged 60+ for the card", "aged sixty plus for the card"),
    ("Hong Kong/Macau permit, and/or a visa", "Hong Kong or Macau permit, and or a visa"),
])
def test_english_replies(text: str, spoken: str) -> None:
    assert for_speech(text, "en") == spoken


def test_markdown_and_spacing_are_not_read() -> None:
    assert for_speech("**材料**：  身份证", "zh") == "材料 ： 身份证"
    assert for_speech("unknown language 12", "fr") == "unknown language 12"


_PIECES = st.one_of(
    st.integers(0, 10**12).map(str), st.sampled_from(["元", "年", "个", "%", "-", ":", ",", ".", "号", " ",
                                                    "SB", "am", "日", "月", "¥", "天", "/"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8).map("".join), st.sampled_from(["zh", "en"]))
def test_no_digit_is_left_for_an_engine_to_guess(text: str, lang: str) -> None:
    """Whatever mix of numbers and symbols a reply holds, no digit reaches the engine."""
    assert not re.search(r"\d", for_speech(text, lang))
