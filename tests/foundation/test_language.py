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


def test_codes_and_spelled_letters_keep_the_conversations_language():
    assert detect_language("YY2M8QRT") is None
    assert detect_language("S Z 2024 001234") is None
    assert detect_language("用APP能办吗") == "zh"
    assert detect_language("ID card lost") == "en"
