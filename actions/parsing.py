"""Pull case numbers, phone digits, booking codes, days, times and matters out of what people
actually type or say: "case SZ2024001234, phone ends 5678", "尾号五六七八", "SZ 2024 001234",
"下周一上午", "9点半". Pure functions, so every odd input is a one-line test.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Iterable, Optional, Tuple

from knowledge.appointments import CODE_ALPHABET, CODE_PREFIX
from knowledge.identifiers import CASE_DIGITS_MAX, CASE_DIGITS_MIN, CASE_PREFIX, NOT_CASE_PREFIX

_CN_DIGITS = {"零": "0", "〇": "0", "○": "0", "洞": "0", "一": "1", "幺": "1", "二": "2", "两": "2",
              "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
                            "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ：",
                            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz:")
_CN_RUN = re.compile("[零〇○洞一幺二两三四五六七八九]{3,}")
_ENGLISH_DIGITS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
                   "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_EN_RUN = re.compile(r"(?i)\b(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[\s,-]*){3,}")

# The case-number grammar is knowledge.identifiers'; here it is found inside free text.
_NOT_PREFIX = NOT_CASE_PREFIX
_CASE = re.compile(rf"(?<![A-Za-z0-9])({CASE_PREFIX})(?:[\s\-]?)([0-9]{{{CASE_DIGITS_MIN},{CASE_DIGITS_MAX}}})(?![0-9])")
_CASE_SPACED = re.compile(
    rf"(?<![A-Za-z0-9])({CASE_PREFIX})[\s\-]?((?:[0-9][\s\-]?){{{CASE_DIGITS_MIN},{CASE_DIGITS_MAX}}})(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_PHONE_HINT = re.compile(
    r"(?i)(尾号|尾数|后四位|后4位|末四位|末4位|最后四位|最后4位|手机|电话|号码|"
    r"ends?\s*(?:in|with)?|ending\s*(?:in|with)?|last\s*(?:four|4)(?:\s*digits?)?|phone|mobile|digits?)"
    r"[^0-9]{0,12}?([0-9]{4})(?![0-9])"
)
#: letters or digits spelled one by one, as speech recognition and careful people write them
_SPELLED = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z0-9][\s.\-]){1,}[A-Z0-9](?![A-Za-z0-9])")
_FOUR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")
_CODE = re.compile(rf"(?i)(?<![A-Za-z0-9]){CODE_PREFIX}[\s\-]?([{CODE_ALPHABET}{CODE_ALPHABET.lower()}]{{6}})(?![A-Za-z0-9])")

_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAYS_EN = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def normalise_spoken(text: str) -> str:
    """Full-width to ASCII, and runs of spoken digits ("五六七八", "five six seven eight") to digits."""
    text = (text or "").translate(_FULL_WIDTH)
    text = _SPELLED.sub(lambda m: re.sub(r"[\s.\-]", "", m.group(0)), text)  # "S Z 2024", "5 6 7 8"
    text = _CN_RUN.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), text)
    return _EN_RUN.sub(lambda m: "".join(_ENGLISH_DIGITS[w.lower()] for w in
                                         re.findall(r"[A-Za-z]+", m.group(0))) + " ", text)


def find_case_number(text: str) -> Optional[Tuple[str, Tuple[int, int]]]:
    """(normalised case number, its span in the normalised text) or ``None``."""
    norm = normalise_spoken(text)
    for pattern in (_CASE, _CASE_SPACED):
        for match in pattern.finditer(norm):
            prefix = match.group(1)
            if prefix.lower() in _NOT_PREFIX:
                continue
            digits = re.sub(r"[^0-9]", "", match.group(2))
            if 6 <= len(digits) <= 14:
                return prefix.upper() + digits, match.span()
    return None


def find_phone_last4(text: str, anywhere: bool = False) -> Optional[str]:
    """The last four phone digits: after a hint word ("尾号", "ends"), the tail of a full mobile
    number, or (``anywhere``: we just asked for them) any lone group of four digits."""
    norm = normalise_spoken(text)
    case = find_case_number(text)
    if case:
        start, end = case[1]
        norm = norm[:start] + " " * (end - start) + norm[end:]
    mobile = _MOBILE.search(norm.replace(" ", "").replace("-", ""))
    if mobile:
        return mobile.group(0)[-4:]
    hinted = _PHONE_HINT.search(norm)
    if hinted:
        return hinted.group(2)
    if anywhere:
        groups = _FOUR.findall(norm)
        if len(groups) == 1:
            return groups[0]
    return None


def looks_like_an_attempt(text: str) -> bool:
    """Digits or a letters+digits token: the person tried to give a number (maybe a wrong one)."""
    return bool(re.search(r"[0-9]", normalise_spoken(text)))


def find_booking_code(text: str) -> Optional[str]:
    match = _CODE.search(normalise_spoken(text).replace("-", ""))
    return (CODE_PREFIX + match.group(1).upper()) if match else None


def parse_day(text: str, today: date) -> Optional[date]:
    """A day from "明天", "后天", "下周一", "星期三", "6月3日", "3号", "tomorrow", "next Monday",
    "2024-06-03", "6/3"; ``None`` if no day is named."""
    t = normalise_spoken(text).strip().lower()
    if re.search(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", t):
        y, m, d = map(int, re.search(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", t).groups())
        return _safe_date(y, m, d)
    if "大后天" in t:
        return today + timedelta(days=3)
    if "后天" in t or "day after tomorrow" in t:
        return today + timedelta(days=2)
    if "明天" in t or "明日" in t or "tomorrow" in t:
        return today + timedelta(days=1)
    if "今天" in t or "today" in t:
        return today
    week = re.search(r"(下+)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天])", t)
    if week:
        return _weekday(today, _WEEKDAYS_ZH[week.group(2)], len(week.group(1) or ""))
    week_en = re.search(r"(next\s+)?(mon|tue|wed|thu|fri|sat|sun)[a-z]*", t)
    if week_en:
        return _weekday(today, _WEEKDAYS_EN[week_en.group(2)], 1 if week_en.group(1) else 0)
    md = re.search(r"([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?", t) or re.search(r"(?<![0-9])([0-9]{1,2})/([0-9]{1,2})(?![0-9])", t)
    if md:
        return _next_occurrence(today, int(md.group(1)), int(md.group(2)))
    day_only = re.search(r"(?<![0-9])([0-9]{1,2})\s*[号日]", t)
    if day_only:
        d = int(day_only.group(1))
        for months_ahead in (0, 1):
            month = (today.month - 1 + months_ahead) % 12 + 1
            year = today.year + (today.month - 1 + months_ahead) // 12
            candidate = _safe_date(year, month, d)
            if candidate and candidate >= today:
                return candidate
    return None


def parse_time(text: str) -> Optional[time]:
    """"9:30", "9点半", "下午2点", "2pm", "14:00" -> time; ``None`` if no time is named."""
    t = normalise_spoken(text).lower()
    t = t.replace("：", ":")
    t = re.sub(r"([零一二两三四五六七八九十]{1,3})(?=[点时])", lambda m: str(_small_number(m.group(1))), t)
    match = re.search(r"(?<![0-9])([0-9]{1,2})\s*(?::|点|時|时)\s*(半|[0-9]{1,2})?", t) or \
        re.search(r"(?<![0-9])([0-9]{1,2})\s*(am|pm|a\.m\.|p\.m\.)", t)
    if not match:
        return None
    hour = int(match.group(1))
    tail = match.group(2) or ""
    minute = 30 if tail == "半" else int(tail) if tail.isascii() and tail.isdigit() else 0
    afternoon = any(w in t for w in ("下午", "pm", "p.m.", "afternoon")) or (1 <= hour <= 5)
    if afternoon and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def find_matter(text: str, keywords: Iterable[Tuple[str, Tuple[str, ...]]]) -> Optional[str]:
    """The matter whose keyword occurs in ``text`` (longest keyword wins: "临时身份证" over "身份证")."""
    t = (text or "").lower()
    best: Optional[Tuple[int, str]] = None
    for matter, words in keywords:
        for word in words:
            if word.lower() in t and (best is None or len(word) > best[0]):
                best = (len(word), matter)
    return best[1] if best else None


def _small_number(word: str) -> int:
    """一..九十九 in Chinese (enough for hours and minutes)."""
    digits = {k: int(v) for k, v in _CN_DIGITS.items()}
    if "十" not in word:
        return digits.get(word[-1], 0)
    tens, _, ones = word.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def _weekday(today: date, weekday: int, weeks_ahead: int) -> date:
    delta = (weekday - today.weekday()) % 7
    if weeks_ahead:
        start_of_next = today + timedelta(days=7 - today.weekday())
        return start_of_next + timedelta(days=weekday + 7 * (weeks_ahead - 1))
    return today + timedelta(days=delta)


def _next_occurrence(today: date, month: int, day: int) -> Optional[date]:
    candidate = _safe_date(today.year, month, day)
    if candidate and candidate < today:
        candidate = _safe_date(today.year + 1, month, day)
    return candidate


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def to_datetime(day: date, at: time) -> datetime:
    return datetime.combine(day, at)
