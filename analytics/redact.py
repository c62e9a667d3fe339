"""Remove personal data from a user's message before it becomes a log record.

What goes: Chinese resident ID numbers (18 digits with a valid checksum and birth date, and the
old 15-digit ones), mobile numbers (also written with spaces, dashes, ``+86`` or full-width
digits), e-mail addresses, bank card numbers (Luhn), case/application numbers, and names that
people give in a form ("我叫张三", "姓名：李四", "my name is Ann Lee").

Why digit *runs*: people type numbers with separators, glue them to other digits or words, and
use full-width digits from Chinese input methods. So every run of digits (single spaces/dashes
allowed inside) is checked as a whole and window by window; if an ID number or a mobile number
hides anywhere in it, the whole run goes. Over-redacting a stray digit is cheap; leaking an ID
number is not.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Callable, List, Optional, Tuple

ID_TOKEN = "<ID>"
PHONE_TOKEN = "<PHONE>"
EMAIL_TOKEN = "<EMAIL>"
CARD_TOKEN = "<CARD>"
CASE_TOKEN = "<CASE>"
NAME_TOKEN = "<NAME>"

# Full-width digits, letters X/x, dash and space -> ASCII, one character for one (positions kept).
_WIDTH = str.maketrans(
    "０１２３４５６７８９Ｘｘ－—\u3000\u00a0",
    "0123456789Xx--  ",
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# Digits with single separators (space or dash, optionally spaced), an optional final X.
_RUN = re.compile(r"\+?[0-9](?:[0-9]|(?: ?- ?| )(?=[0-9]))*[Xx]?")
_CASE_KEYWORD = re.compile(
    r"(?i)((?<![A-Za-z])(?:案件号|案件编号|受理号|受理编号|办件号|办件编号|申请编号|业务编号|流水号|预约号|工单号|"
    r"case\s*(?:no\.?|number|id|#)|application\s*(?:no\.?|number)|reference\s*(?:no\.?|number)?|ref\.?)(?![A-Za-z]))"
    r"(\s*(?:是|为|:|：|#|is)?\s*)((?=[A-Za-z\-/]*[0-9])[A-Za-z0-9][A-Za-z0-9\-/]{4,})"
)
# Letter prefix + long digits: "SB2024051300012", "GA-2024-000123".
_CASE_SHAPE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,5}-?[0-9]{4}(?:-?[0-9]{2,}){1,3}(?![A-Za-z0-9])")
# Court style: （2024）京0105民初12345号
_CASE_COURT = re.compile(r"[（(][0-9]{4}[）)][\u4e00-\u9fff]{1,3}[0-9]{0,6}[\u4e00-\u9fff]{1,4}[0-9]+号")

_HAN = r"\u4e00-\u9fff"
# Words that end a Chinese name given in a sentence ("我叫张三想办护照").
_NAME_STOP = "想要的在办来去是需请我你他她，。,.!！?？ 、；;"
_ZH_NAME = re.compile(
    r"(我叫|我的名字是|我的名字叫|名字叫|名字是|(?:本人)?姓名\s*(?:[:：]|是|为|\s)|名字\s*[:：])\s*[:：]?\s*"
    rf"([{_HAN}·]{{2,4}})"
)
_EN_NAME = re.compile(
    r"(?i)\b(my name is|my name's|i am called|i'm called|(?:full )?name\s*(?:is\s*)?[:：])\s*"
    r"([A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*){0,2})"
)
_EN_NOT_NAME = {
    "and", "i", "im", "i'm", "need", "want", "would", "please", "the", "a", "an", "to", "for",
    "of", "is", "was", "my", "from", "with", "at", "in", "on", "how", "what", "can", "could",
    "do", "does", "here", "there", "this", "that", "and", "but", "so", "who", "it", "not", "change",
    "card", "registration", "on", "your", "id", "number",
}


def id18_valid(digits: str) -> bool:
    """An 18-character resident ID number: checksum (ISO 7064 MOD 11-2) and a real birth date."""
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS)) % 11]
    return digits[17].upper() == check and _real_date(digits[6:10], digits[10:12], digits[12:14])


def id15_valid(digits: str) -> bool:
    """An old 15-digit ID number (1984-1999): region + YYMMDD birth date + 3 digits."""
    return len(digits) == 15 and digits.isdigit() and _real_date("19" + digits[6:8], digits[8:10], digits[10:12])


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _real_date(year: str, month: str, day: str) -> bool:
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def _is_mobile(window: str) -> bool:
    return len(window) == 11 and window[0] == "1" and window[1] in "3456789"


def classify_digits(run: str) -> Optional[str]:
    """What a run of digits (separators removed, maybe ending in X) is, as a token, or ``None``."""
    digits = run.lstrip("+")
    for start in range(0, len(digits) - 17):
        if id18_valid(digits[start:start + 18]):
            return ID_TOKEN
    body = digits.rstrip("Xx")
    if 16 <= len(body) <= 19 and body == digits and luhn_valid(body):
        return CARD_TOKEN
    if id15_valid(body) and body == digits:
        return ID_TOKEN
    if any(_is_mobile(body[s:s + 11]) for s in range(0, len(body) - 10)):
        return PHONE_TOKEN
    return None


def _replace_runs(text: str, folded: str) -> str:
    pieces: List[str] = []
    last = 0
    for match in _RUN.finditer(folded):
        digits = re.sub(r"[ \-]", "", match.group())
        token = classify_digits(digits)
        if token is None:
            continue
        start, end = match.span()
        pieces.append(text[last:start])
        pieces.append(token)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _zh_name(match: re.Match) -> str:
    name = match.group(2)
    for index, char in enumerate(name):
        if index >= 2 and char in _NAME_STOP:
            name = name[:index]
            break
    keep = match.group(0)[: match.start(2) - match.start(0)]
    rest = match.group(2)[len(name):]
    return keep + NAME_TOKEN + rest


def _en_name(match: re.Match) -> str:
    words = match.group(2).split()
    taken: List[str] = []
    for word in words:
        if word.lower().strip("'-") in _EN_NOT_NAME:
            break
        taken.append(word)
    if not taken:
        return match.group(0)
    # Only the words that were taken are replaced; the rest of the sentence stays.
    head = match.group(0)[: match.start(2) - match.start(0)]
    tail_words = words[len(taken):]
    return head + NAME_TOKEN + ((" " + " ".join(tail_words)) if tail_words else "")


_STEPS: Tuple[Tuple[re.Pattern, Callable[[re.Match], str]], ...] = (
    (_EMAIL, lambda m: EMAIL_TOKEN),
    (_CASE_KEYWORD, lambda m: m.group(1) + m.group(2) + CASE_TOKEN),
    (_CASE_COURT, lambda m: CASE_TOKEN),
    (_CASE_SHAPE, lambda m: CASE_TOKEN),
)


def redact(text: str) -> str:
    """The message with personal data replaced by ``<ID>``, ``<PHONE>``, ``<EMAIL>``, ``<CARD>``,
    ``<CASE>`` and ``<NAME>``. Pure and deterministic; safe on any string."""
    if not text:
        return text or ""
    # Work on the folded text throughout: full-width digits become ASCII, which is what a
    # reader of the logs needs anyway, and patterns only have to know one form.
    out = text.translate(_WIDTH)
    for pattern, replace in _STEPS:
        out = pattern.sub(replace, out)
    out = _replace_runs(out, out)
    out = _ZH_NAME.sub(_zh_name, out)
    out = _EN_NAME.sub(_en_name, out)
    return out
