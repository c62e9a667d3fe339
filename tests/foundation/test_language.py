"""Reply language: explicit request, then the message, then the conversation so far."""

import pytest

from assistant.nlu.language import choose_language, detect_language


@pytest.mark.parametrize(
    "text, expected",
    [
        ("你好", "zh"),
        ("hello", "en"),
        ("我想办passport", "zh"),
        ("how do I renew my 身份证", "en"),
        ("SZ2024001234", None),
        ("5678", None),
        ("？？", None),
        ("社保转移需要什么材料", "zh"),
        ("what documents do I need for social security transfer", "en"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def test_explicit_request_wins():
    assert choose_language("en", "你好", "zh") == "en"


def test_undecidable_message_keeps_the_conversation_language():
    assert choose_language(None, "SZ2024001234", "en") == "en"
    assert choose_language(None, "1234", None) == "zh"
