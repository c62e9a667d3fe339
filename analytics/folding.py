"""Folding: every way of writing a digit becomes one ASCII digit, remembering where it came from.

The redactor's detectors then only need to know one form of a number. Folding turns full-width
characters (``１３８``, ``＠``, ``（``) into ASCII (NFKC), Chinese and spoken digits (``一三八``,
``幺三八洞洞``, ``壹叁捌``, "one three eight", "double zero") into digits, every dash into ``-``,
whitespace into a space, and drops zero-width characters. For each folded character it keeps the
span of the original it came from, so what is found can be cut out of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import List, Optional, Tuple

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc\u2500")
_CN_DIGITS = {
    "零": "0", "〇": "0", "○": "0", "洞": "0", "一": "1", "幺": "1", "壹": "1", "二": "2",
    "两": "2", "贰": "2", "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6",
    "陆": "6", "七": "7", "柒": "7", "拐": "7", "八": "8", "捌": "8", "九": "9", "玖": "9", "勾": "9",
}
_EN_DIGITS = {"zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
              "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_CN_CLASS = "".join(_CN_DIGITS) + "0-9\uff10-\uff19"
_HAS_CN_DIGIT = re.compile(f"[{''.join(_CN_DIGITS)}]")
# Four or more digits (Chinese, ASCII, full-width) with up to three separators between them.
_CN_RUN = re.compile(
    f"[{_CN_CLASS}](?:[\\s\\-./_、,，()（）\u200b\u200c\u200d\u2060\ufeff\u2010-\u2015]{{0,3}}[{_CN_CLASS}]){{3,}}")
_EN_WORD = re.compile(r"[A-Za-z]+")
# Spoken digits only count in a run of at least three ("one two three four" is a number being read
# out; "one of two forms" is not): digit words, optionally doubled/tripled, with separators.
_EN_DIGIT_WORD = r"(?:zero|oh|o|nought|one|two|three|four|five|six|seven|eight|nine)"
_EN_RUN = re.compile(
    rf"(?i)(?<![A-Za-z])(?:(?:double|triple)\s+)?{_EN_DIGIT_WORD}"
    rf"(?:[\s,.\-]+(?:(?:double|triple)\s+)?{_EN_DIGIT_WORD}){{2,}}(?![A-Za-z])"
)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """What one character of the original becomes in the folded text ("" = dropped)."""
    if char in _ZERO_WIDTH:
        return ""
    if char in _DASHES:
        return "-"
    if char in "\t\r\n\v\f\u3000\u00a0\u2002\u2003\u2009\u202f":
        return " "
    if char.isascii():
        return char
    folded = unicodedata.normalize("NFKC", char)
    # Only keep the ASCII results of NFKC (full-width forms); other letters stay themselves so
    # the folded text keeps its meaning for the name rules.
    return folded if folded.isascii() else char


_IRREGULAR = "\ue000"  # stands for a character that does not fold to exactly one character


class _FoldTable(dict):
    """``str.translate`` table filled on first use: the fast path for the usual message, in which
    every character folds to exactly one (so positions stay those of the original)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        value = folded if len(folded) == 1 and folded != _IRREGULAR else _IRREGULAR
        if len(self) < 50_000:
            self[code] = value
        return value


_TABLE = _FoldTable()


class Folded:
    """The folded text and, for each folded character, the span of the original it came from."""

    __slots__ = ("text", "starts", "ends")
    text: str
    starts: Optional[List[int]]
    ends: Optional[List[int]]

    def __init__(self, original: str) -> None:
        spoken = {m.start(): m for m in _EN_RUN.finditer(original)} if _has_digit_word(original) else {}
        # Chinese digits only where they read as a number ("一三八零零..."), not in "张三" or "一下".
        numeric = set()
        if _HAS_CN_DIGIT.search(original):
            for run in _CN_RUN.finditer(original):
                numeric.update(range(run.start(), run.end()))
        if not spoken and not numeric:
            quick = original.translate(_TABLE)
            if _IRREGULAR not in quick:  # one character for one: positions are the original's
                self.text, self.starts, self.ends = quick, None, None
                return
        chars: List[str] = []
        starts: List[int] = []
        ends: List[int] = []
        index = 0
        length = len(original)
        while index < length:
            run = spoken.get(index)
            if run is not None:
                self._spoken(run, chars, starts, ends)
                index = run.end()
                continue
            char = original[index]
            out = _CN_DIGITS[char] if index in numeric and char in _CN_DIGITS else _fold_char(char)
            for piece in out:
                chars.append(piece)
                starts.append(index)
                ends.append(index + 1)
            index += 1
        self.text = "".join(chars)
        self.starts = starts
        self.ends = ends

    @staticmethod
    def _spoken(run: re.Match, chars: List[str], starts: List[int], ends: List[int]) -> None:
        repeat = 1
        for word in _EN_WORD.finditer(run.group()):
            lower = word.group().lower()
            begin, end = run.start() + word.start(), run.start() + word.end()
            if lower in ("double", "triple"):
                repeat = 2 if lower == "double" else 3
                continue
            for _ in range(repeat):
                chars.append(_EN_DIGITS[lower])
                starts.append(begin)
                ends.append(end)
            repeat = 1
        chars.append(" ")  # the run ends like a word does
        starts.append(run.end())
        ends.append(run.end())

    def original_span(self, start: int, end: int) -> Tuple[int, int]:
        if self.starts is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


_DIGIT_WORD_HINT = re.compile(r"(?i)zero|one|two|three|four|five|six|seven|eight|nine|oh\b|nought|\bo\b")


def _has_digit_word(text: str) -> bool:
    return _DIGIT_WORD_HINT.search(text) is not None
