"""Pure pieces of the WeChat channel: numbered options, 2,048-byte splitting, signatures, ledger."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.turns import Button, Reply
from assistant.errors import ConfigError
from assistant.state import MemoryStore, RedisStore
from channels.wechat.dedup import DeliveryLedger, message_key, reply_of
from channels.wechat.envelope import Envelope, SignatureError, check_fresh, check_signature, sign
from channels.wechat.render import MAX_TEXT_BYTES, OptionMemory, parse_choice, render_replies, split_text


def test_buttons_are_numbered_across_replies_in_the_reply_language():
    replies = [Reply("请选择：", [Button("身份证", "/id"), Button("户口", "/hukou")]),
               Reply("或者：", [Button("转人工", "/handoff")])]
    text, buttons = render_replies(replies, "zh")
    assert text == "请选择：\n回复 1：身份证\n回复 2：户口\n\n或者：\n回复 3：转人工"
    assert [b.payload for b in buttons] == ["/id", "/hukou", "/handoff"]
    english, _ = render_replies([Reply("Choose:", [Button("ID card", "/id")])], "en")
    assert english == "Choose:\nReply 1 for ID card"


@pytest.mark.parametrize("text, number", [("1", 1), (" ２ ", 2), ("3。", 3), ("12", 12),
                                          ("1 2", None), ("一", None), ("abc", None), ("", None)])
def test_parse_choice(text, number):
    assert parse_choice(text) == number


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["办理身份证需要带户口本。", "Bring your ID card. ", "请问！", "\n",
                                 "很长的句子没有标点" * 40, "x" * 700, "好的？"]), max_size=40))
def test_split_keeps_every_character_within_the_byte_limit(parts):
    text = "".join(parts)
    chunks = split_text(text)
    assert all(0 < len(c.encode("utf-8")) <= MAX_TEXT_BYTES for c in chunks)
    squash = lambda s: "".join(s.split())  # noqa: E731 - whitespace at the cut points may go
    assert squash("".join(chunks)) == squash(text)


def test_split_prefers_sentence_boundaries():
    sentence = "这是一句完整的话。"  # 27 bytes
    chunks = split_text(sentence * 200)
    assert len(chunks) > 1 and all(c.endswith("。") for c in chunks)


@pytest.fixture(params=["memory", "redis"])
def store(request, redis_url):
    if request.param == "memory":
        return MemoryStore()
    return RedisStore(redis_url, prefix=f"civic-test-{uuid.uuid4().hex[:8]}:")


def test_options_are_remembered_per_user_and_forgotten_on_a_turn_without(store):
    memory = OptionMemory(store, "wechat:t")
    memory.remember("u1", [Button("身份证", "/id"), Button("户口", "/hukou")])
    assert memory.choice_for("u1", "2") == "/hukou"
    assert memory.choice_for("u1", "3") is None and memory.choice_for("u2", "1") is None
    memory.remember("u1", [])
    assert memory.choice_for("u1", "1") is None


def test_ledger_lets_exactly_one_delivery_claim(store):
    ledger = DeliveryLedger(store, "wechat:t")
    key = message_key(12345, "user", 1700000000)
    assert [ledger.claim(key) for _ in range(3)] == [True, False, False]
    assert ledger.outcome(key) == "processing"
    ledger.record_reply(key, "答复")
    assert reply_of(ledger.outcome(key)) == "答复"
    assert message_key(0, "user", 17, "click:a") != message_key(0, "user", 17, "click:b")


def test_signatures_are_checked_and_timestamps_must_be_fresh():
    check_signature("tok", sign("tok", "1", "2"), "1", "2")
    for bad in (None, "", sign("other", "1", "2"), sign("tok", "1", "2").upper()):
        with pytest.raises(SignatureError):
            check_signature("tok", bad, "1", "2")
    check_fresh("1000", now=1100)
    with pytest.raises(SignatureError):
        check_fresh("1000", now=2000)
    with pytest.raises(SignatureError):
        check_fresh("soon", now=2000)


def test_bad_aes_key_fails_at_start_naming_the_setting():
    with pytest.raises(ConfigError, match="CIVIC_WECHAT_AES_KEY"):
        Envelope.create("tok", "!" * 43, "wx1")
    with pytest.raises(ConfigError, match="CIVIC_WECHAT_APP_ID"):
        Envelope.create("tok", "a" * 43, "")
    with pytest.raises(ConfigError, match="CIVIC_WECHAT_TOKEN"):
        Envelope.create("", "", "")
    from assistant.settings import load_settings

    with pytest.raises(ConfigError, match="CIVIC_WECHAT_AES_KEY"):
        load_settings(wechat_aes_key="short")


def test_gateway_with_a_bad_aes_key_refuses_to_start(test_settings):
    from fastapi.testclient import TestClient

    from assistant.gateway.app import create_app
    from assistant.settings import load_settings

    class NoTurns:
        async def close(self) -> None:
            return None

    values = dict(test_settings.dict(), wechat_token="tok", wechat_app_id="wx1", wechat_aes_key="!" * 43)
    with pytest.raises(ConfigError, match="CIVIC_WECHAT_AES_KEY"):
        with TestClient(create_app(load_settings(**values), backend=NoTurns())):
            pass
