"""Rewrite reply text the way a person would read it aloud, per language.

Speech engines read "2024-03-05" as "two thousand twenty-four minus three minus five", a case
number SB2024000123 as one huge number and "12345" (the hotline) as twelve thousand. People
at a service hall say dates, amounts, times, phone and case numbers in fixed ways; this module
turns digits and symbols into those words *before* synthesis, so every engine says the same
thing. Pure functions only: the rules are tested without any engine.
"""

from __future__ import annotations

import re
from typing import Callable, List

ZH_DIGITS = "零一二三四五六七八九"
EN_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
           "fifteen sixteen seventeen eighteen nineteen").split()
EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
EN_MONTHS = ("January February March April May June July August September October November "
             "December").split()
EN_ORDINAL_FIX = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                  "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}

#: How Mandarin speakers name Latin letters (case numbers like "SB2024...").
ZH_LETTERS = {
    "A": "诶", "B": "必", "C": "西", "D": "迪", "E": "伊", "F": "艾弗", "G": "吉", "H": "艾尺",
    "I": "艾", "J": "杰", "K": "开", "L": "艾勒", "M": "艾姆", "N": "恩", "O": "欧", "P": "披",
    "Q": "酷", "R": "阿", "S": "艾斯", "T": "提", "U": "优", "V": "维", "W": "达布留", "X": "艾克斯",
    "Y": "外", "Z": "贼德",
}
#: Measure words after which 2 is said 两, not 二 ("两个工作日", "两张照片").
ZH_MEASURES = "个天张份本次位名岁项件条页寸周月小年元块"
#: Words after which digits are read one by one (hotlines, phone and case numbers).
ZH_DIGITWISE_CUES = ("电话", "热线", "拨打", "号码", "编号", "受理号", "办件号", "案号", "单号", "致电")
EN_DIGITWISE_CUES = ("call", "phone", "hotline", "number", "no.", "dial", "case", "reference")

# Tokens that look like identifiers: letters and digits mixed (SB2024-000123, A12).
_ID_TOKEN = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|"
                       r"(?<![A-Za-z0-9])\d+[A-Za-z]+\d[A-Za-z0-9]*")
#: Capital-letter abbreviations in Chinese text (APP, PDF, ETC): spelled out letter by letter,
#: since the Mandarin voice has no Latin letters and would skip them.
_ZH_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{1,6}(?![A-Za-z])")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_ZH_DATE = re.compile(r"(?<!\d)(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})[日号])?)?")
_TIME = re.compile(r"(?<![\d:])([01]?\d|2[0-3])[:：]([0-5]\d)(?![\d:])(?:\s*([ap])\.?m\.?)?", re.I)
#: "1%-3%", "5-10%": a range of percentages, said 百分之一到百分之三 / one to three percent.
_PERCENT_RANGE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[%％]?\s*[-~～—–至到]\s*(\d+(?:\.\d+)?)\s*[%％]")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_CURRENCY_PREFIX = re.compile(r"(?:[¥￥]|RMB\s?|CNY\s?)(\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)")
_RANGE = re.compile(r"(?<![\d-])([1-9]\d{0,3}(?:\.\d+)?|0)\s*[-~～—–至]\s*([1-9]\d{0,3}(?:\.\d+)?)(?![\d-])")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-(\d{7,8})(?!\d)")
_HOUR_AMPM = re.compile(r"(?<![\d:])(1[0-2]|0?[1-9])\s*([ap])\.?m\.?(?![a-z])", re.I)
_DECIMAL = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?![\d.])")
_GROUPED = re.compile(r"(?<!\d)\d{1,3}(?:,\d{3})+(?!\d)")
_INTEGER = re.compile(r"\d+")
_EN_ORDINAL = re.compile(r"(?<!\d)(\d+)(st|nd|rd|th)\b", re.I)
_EN_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s+(" + "|".join(EN_MONTHS) + r")\b")
_EN_MONTH_DAY = re.compile(r"\b(" + "|".join(EN_MONTHS) + r")\s+(\d{1,2})(?!\d)")


# --- Chinese ---------------------------------------------------------------------------------
def zh_digits(digits: str, phone: bool = False) -> str:
    """Digit by digit; phone numbers say 1 as 幺, as people do to avoid mishearing 七."""
    return "".join(("幺" if phone and d == "1" else ZH_DIGITS[int(d)]) for d in digits if d.isdigit())


def _zh_below_10000(n: int, leading: bool) -> str:
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out: List[str] = []
    zero_pending = False
    for value, unit in units:
        digit, n = divmod(n, value)
        if digit:
            if zero_pending:
                out.append("零")
            zero_pending = False
            if unit == "十" and digit == 1 and leading and not out:
                out.append("十")  # 十五, not 一十五, at the start of a number
            else:
                out.append(ZH_DIGITS[digit] + unit)
        elif out:
            zero_pending = True
    if n:
        if zero_pending or (out and not out[-1].endswith("十")):
            out.append("零")
        out.append(ZH_DIGITS[n])
    return "".join(out)


def zh_number(n: int) -> str:
    """An integer the standard way: 10 -> 十, 105 -> 一百零五, 20000 -> 两万, 1e8 -> 一亿."""
    if n == 0:
        return "零"
    if n < 0:
        return "负" + zh_number(-n)
    if n >= 10**16:  # beyond 万亿 nobody says it as an amount: read the digits
        return zh_digits(str(n))
    groups = []
    while n:
        n, part = divmod(n, 10000)
        groups.append(part)
    out: List[str] = []
    names = ("", "万", "亿", "万亿")
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        part = groups[index]
        if part == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or part < 1000):
            out.append("零")
        out.append(_zh_below_10000(part, leading=not out) + names[index])
        need_zero = False
    text = "".join(out)
    # 两千/两万/两亿 at the start is how amounts are said.
    return re.sub(r"^二(?=[千万亿])", "两", text)


def zh_decimal(whole: str, fraction: str) -> str:
    return zh_number(int(whole)) + "点" + zh_digits(fraction)


def _zh_cued(text: str, start: int) -> bool:
    before = text[max(0, start - 6):start]
    return any(cue in before for cue in ZH_DIGITWISE_CUES)


def _zh_id(token: str) -> str:
    parts = []
    for ch in token.upper():
        if ch.isdigit():
            parts.append(ZH_DIGITS[int(ch)])
        elif ch in ZH_LETTERS:
            parts.append(ZH_LETTERS[ch])
    return "".join(parts)


def _zh_integer(match: re.Match, text: str) -> str:
    digits = match.group(0)
    start, end = match.span()
    follows = text[end:end + 1]
    if len(digits) == 11 and digits.startswith("1"):
        return zh_digits(digits, phone=True)
    if _zh_cued(text, start) or len(digits) >= 7 or (len(digits) > 1 and digits.startswith("0")):
        return zh_digits(digits)
    if follows == "年" and len(digits) == 4:
        return zh_digits(digits)
    if digits == "2" and follows and follows in ZH_MEASURES:
        return "两"
    return zh_number(int(digits))


def zh_for_speech(text: str) -> str:
    """Chinese reply -> what to say: dates, times, amounts, percentages, ranges, ids, numbers."""
    text = _ISO_DATE.sub(lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", text)
    text = _ZH_DATE.sub(lambda m: zh_digits(m.group(1)) + "年"
                        + (zh_number(int(m.group(2))) + "月" if m.group(2) else "")
                        + (zh_number(int(m.group(3))) + "日" if m.group(3) else ""), text)
    text = _LANDLINE.sub(lambda m: zh_digits(m.group(1)) + "，" + zh_digits(m.group(2)), text)
    text = _TIME.sub(_zh_time, text)
    text = _HOUR_AMPM.sub(lambda m: {"a": "上午", "p": "下午"}[m.group(2).lower()]
                          + ("两" if m.group(1) in ("2", "02") else zh_number(int(m.group(1)))) + "点", text)
    text = _CURRENCY_PREFIX.sub(lambda m: _zh_plain(m.group(1).replace(",", "")) + "元", text)
    text = _GROUPED.sub(lambda m: zh_number(int(m.group(0).replace(",", ""))), text)
    text = _PERCENT_RANGE.sub(lambda m: f"百分之{_zh_plain(m.group(1))}到百分之{_zh_plain(m.group(2))}", text)
    text = _PERCENT.sub(lambda m: "百分之" + _zh_plain(m.group(1)), text)
    text = _ID_TOKEN.sub(lambda m: _zh_id(m.group(0)), text)
    text = _ZH_ACRONYM.sub(lambda m: _zh_id(m.group(0)), text)
    text = _RANGE.sub(lambda m: _zh_plain(m.group(1)) + "到" + m.group(2), text)
    text = _DECIMAL.sub(lambda m: zh_decimal(m.group(1), m.group(2)), text)
    ref = text
    return _INTEGER.sub(lambda m: _zh_integer(m, ref), text)


def _zh_plain(number: str) -> str:
    if "." in number:
        whole, fraction = number.split(".", 1)
        return zh_decimal(whole, fraction)
    return zh_number(int(number))


def _zh_time(m: re.Match) -> str:
    hour, minute, half = int(m.group(1)), int(m.group(2)), (m.group(3) or "").lower()
    prefix = {"a": "上午", "p": "下午"}.get(half, "")
    spoken = prefix + ("两" if hour == 2 else zh_number(hour)) + "点"
    if minute == 30:
        return spoken + "半"
    if minute:
        spoken += ("零" if minute < 10 else "") + zh_number(minute) + "分"
    return spoken


# --- English ---------------------------------------------------------------------------------
def en_number(n: int) -> str:
    """An integer in words: 1234 -> one thousand two hundred thirty-four."""
    if n < 0:
        return "minus " + en_number(-n)
    if n < 20:
        return EN_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return EN_TENS[tens] + ("-" + EN_ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return EN_ONES[hundreds] + " hundred" + (" " + en_number(rest) if rest else "")
    for value, name in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= value:
            high, rest = divmod(n, value)
            return en_number(high) + " " + name + (" " + en_number(rest) if rest else "")
    raise AssertionError("unreachable")


def en_ordinal(n: int) -> str:
    words = en_number(n)
    head, sep, last = words.rpartition("-") if "-" in words.split(" ")[-1] else words.rpartition(" ")
    if last in EN_ORDINAL_FIX:
        last = EN_ORDINAL_FIX[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def en_year(n: int) -> str:
    """Years as people say them: 2008 -> two thousand eight, 2024 -> twenty twenty-four."""
    if 2000 <= n <= 2009:
        return "two thousand" + (" " + EN_ONES[n - 2000] if n > 2000 else "")
    if 1100 <= n <= 2099 and n % 100:
        high, low = divmod(n, 100)
        return en_number(high) + " " + (("oh " + EN_ONES[low]) if low < 10 else en_number(low))
    return en_number(n)


def en_digits(digits: str) -> str:
    return " ".join(EN_ONES[int(d)] for d in digits if d.isdigit())


def _en_id(token: str) -> str:
    return " ".join(EN_ONES[int(c)] if c.isdigit() else c for c in token.upper() if c.isalnum())


def _en_cued(text: str, start: int) -> bool:
    before = text[max(0, start - 14):start].lower()
    return any(cue in before for cue in EN_DIGITWISE_CUES)


def _en_integer(match: re.Match, text: str) -> str:
    digits = match.group(0)
    start = match.start()
    if _en_cued(text, start) or len(digits) >= 7 or (len(digits) > 1 and digits.startswith("0")):
        return en_digits(digits)
    value = int(digits)
    if len(digits) == 4 and 1900 <= value <= 2099:
        return en_year(value)
    return en_number(value)


def _en_plain(number: str) -> str:
    if "." in number:
        whole, fraction = number.split(".", 1)
        return en_number(int(whole)) + " point " + en_digits(fraction)
    return en_number(int(number))


def _en_time(m: re.Match) -> str:
    hour, minute, half = int(m.group(1)), int(m.group(2)), (m.group(3) or "").lower()
    suffix = {"a": " a m", "p": " p m"}.get(half, "")
    if minute == 0:
        return en_number(hour) + (" o'clock" if not suffix else "") + suffix
    spoken_minute = ("oh " + EN_ONES[minute]) if minute < 10 else en_number(minute)
    return f"{en_number(hour)} {spoken_minute}{suffix}"


def _en_iso_date(m: re.Match) -> str:
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= month <= 12:
        return m.group(0).replace("-", " ")
    return f"{EN_MONTHS[month - 1]} {en_ordinal(day)}, {en_year(year)}"


def en_for_speech(text: str) -> str:
    """English reply -> what to say: dates, times, money, percentages, ranges, ids, numbers."""
    text = _ISO_DATE.sub(_en_iso_date, text)
    text = _EN_MONTH_DAY.sub(lambda m: f"{m.group(1)} {en_ordinal(int(m.group(2)))}", text)
    text = _EN_DAY_MONTH.sub(lambda m: f"{m.group(2)} {en_ordinal(int(m.group(1)))}", text)
    text = _LANDLINE.sub(lambda m: en_digits(m.group(1)) + ", " + en_digits(m.group(2)), text)
    text = _TIME.sub(_en_time, text)
    text = _HOUR_AMPM.sub(lambda m: f"{en_number(int(m.group(1)))} {m.group(2).lower()} m", text)
    text = _CURRENCY_PREFIX.sub(lambda m: _en_plain(m.group(1).replace(",", "")) + " yuan", text)
    text = _GROUPED.sub(lambda m: en_number(int(m.group(0).replace(",", ""))), text)
    text = _PERCENT_RANGE.sub(lambda m: f"{m.group(1)} to {m.group(2)} percent", text)
    text = _PERCENT.sub(lambda m: m.group(1) + " percent", text)
    text = _EN_ORDINAL.sub(lambda m: en_ordinal(int(m.group(1))), text)
    text = re.sub(r"(?<=\d)\+", " plus", text)  # "aged 60+"
    text = re.sub(r"\band/or\b", "and or", text)
    text = re.sub(r"(?<=[A-Za-z])/(?=[A-Za-z])", " or ", text)  # "Hong Kong/Macau permit", not "slash"
    text = _ID_TOKEN.sub(lambda m: _en_id(m.group(0)), text)
    text = _RANGE.sub(lambda m: m.group(1) + " to " + m.group(2), text)
    text = _DECIMAL.sub(lambda m: en_number(int(m.group(1))) + " point " + en_digits(m.group(2)), text)
    ref = text
    return _INTEGER.sub(lambda m: _en_integer(m, ref), text)


#: Per-language rewriters; a language without one is spoken as written.
REWRITERS: dict[str, Callable[[str], str]] = {"zh": zh_for_speech, "en": en_for_speech}


def for_speech(text: str, lang: str) -> str:
    """The text to hand to a speech engine: symbols spelled out, whitespace tidied."""
    rewrite = REWRITERS.get(lang, lambda t: t)
    spoken = rewrite(text.replace("\u3000", " "))
    spoken = re.sub(r"[*_#`>|]+", " ", spoken)  # markdown the chat shows but nobody says
    return re.sub(r"\s+", " ", spoken).strip()
