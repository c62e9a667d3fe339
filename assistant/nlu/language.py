"""Which language a message is written in, decided per message.

Pure functions: the NLU component, the gateway and the channels all ask the same question.
"""

from __future__ import annotations

import re
from typing import Optional

SUPPORTED_LANGUAGES = ("zh", "en")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")

#: Chinese averages about 1.6 characters per word; compare like with like.
_CHARS_PER_WORD = 1.6


def detect_language(text: str) -> Optional[str]:
    """``"zh"`` or ``"en"`` for text with words in it, ``None`` when it cannot tell.

    Digits, punctuation and codes ("SZ2024001234", "5678") say nothing about language, so they
    return ``None`` and the conversation keeps the language it had. Mixed text goes to the
    language with more words: "我想办passport" is Chinese, "how do I renew my 身份证" is English.
    """
    cjk_words = len(_CJK.findall(text)) / _CHARS_PER_WORD
    latin_words = [w for w in _TOKEN.findall(text) if _is_word(w)]
    if not cjk_words and not latin_words:
        return None
    return "zh" if cjk_words >= len(latin_words) else "en"


def _is_word(token: str) -> bool:
    """Codes and spelled letters are not English: "SZ2024001234", "YY2M8QRT", "S Z 2024", "APP"."""
    if not any(c.isalpha() for c in token) or any(c.isdigit() for c in token):
        return False
    return not (token.isupper() and len(token) <= 4 and token != "I")


def choose_language(requested: Optional[str], text: str, previous: Optional[str]) -> str:
    """The reply language: an explicit request wins, then the message, then the conversation."""
    if requested:
        return requested
    return detect_language(text) or previous or "zh"
