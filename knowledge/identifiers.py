"""The grammar of the identifiers people quote: case numbers and booking codes, defined once.

Every module that reads, validates or redacts one of these imports its pattern from here (the data
interface's validation, the chat's parser, the WeChat "notify me" command, the redactor), so they
can never disagree about what a case number is.

Digits are written ``[0-9]``, never ``\\d``: in Python ``\\d`` also matches Arabic-Indic,
Devanagari, full-width and ~650 other Unicode digits, which then pass validation, reach ``int()``
and the database as strings no department ever issued. Full-width input is folded to ASCII first
by whoever accepts it; what is left must be ASCII.

This module imports nothing of the project, so anything may import it.
"""

from __future__ import annotations

import re

#: 2-4 letters (the issuing office) then 6-14 digits, e.g. ``SZ2024001234``.
CASE_PREFIX = "[A-Za-z]{2,4}"
CASE_DIGITS_MIN, CASE_DIGITS_MAX = 6, 14
CASE_NUMBER_RE = re.compile(rf"^[A-Z]{{2,4}}[0-9]{{{CASE_DIGITS_MIN},{CASE_DIGITS_MAX}}}$", re.ASCII)
#: A case number as typed: optional single space or dash between prefix and digits.
CASE_IN_TEXT = rf"{CASE_PREFIX}[\s-]?[0-9]{{{CASE_DIGITS_MIN},{CASE_DIGITS_MAX}}}"
#: Letter blocks that are words, not case-number prefixes ("case 2024..." is not "CASE2024...").
NOT_CASE_PREFIX = frozenset({
    "is", "no", "it", "at", "on", "to", "my", "be", "of", "and", "for", "the", "ref", "case", "num",
    "ends", "are", "in", "with", "was", "nr", "id", "or", "its", "me", "from", "by", "as", "am", "pm",
    "till", "call", "tel", "fax", "room", "year", "day", "days", "rmb", "yuan", "cny", "page", "no.",
})

#: Booking codes: ``YY`` (预约) and six characters without 0/O, 1/I/L (read aloud, typed by hand).
BOOKING_CODE_PREFIX = "YY"
BOOKING_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BOOKING_CODE_LENGTH = 6

ASCII_DIGITS = frozenset("0123456789")
#: Full-width digits and letters (Chinese input methods) -> ASCII, one character for one.
FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)


def is_ascii_digits(text: str) -> bool:
    """``str.isdigit`` for ASCII only (``"١٢٣".isdigit()`` is True)."""
    return bool(text) and all(c in ASCII_DIGITS for c in text)
