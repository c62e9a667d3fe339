"""The WeChat channel end to end: signed/encrypted requests built like WeChat's, posted to the real
gateway (real Rasa model and action server, Redis), outbound calls to the fake WeChat API."""

from __future__ import annotations

import pytest

from assistant.core.identity import conversation_id
from assistant.logs import pseudonym
from channels.wechat import texts as wechat_texts
from tests.wechat.sender import event_xml, message_xml, new_msg_id, text_xml, verification_params


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_text_message_gets_a_passive_reply_in_both_modes(make_gateway, openid, mode):
    gw = make_gateway(mode)
    reply = gw.reply(text_xml(openid, "你好"), openid)
    assert reply is not None and reply["MsgType"] == "text"
    assert reply["ToUserName"] == openid and reply["FromUserName"] == "gh_civic_test"
    assert "政务服务" in reply["Content"] or "您好" in reply["Content"]
    # The conversation only ever saw the salted pseudonym, never the OpenID, in WeChat's namespace.
    assert gw.backend.senders == [conversation_id("wechat", pseudonym(openid, gw.settings.id_salt))]
    assert openid not in gw.backend.senders[0]


def test_safe_mode_reply_is_encrypted(make_gateway, openid):
    gw = make_gateway("safe")
    response = gw.post(text_xml(openid, "hello"), openid)
    assert response.status_code == 200
    assert "<Encrypt>" in response.text and "hello" not in response.text.lower()
    assert gw.sender.open_reply(response.text)["Content"]


def test_server_verification(make_gateway):
    gw = make_gateway("plain")
    params = verification_params(gw.settings.wechat_token, "echo-777")
    response = gw.client.get("/channels/wechat", params=params)
    assert response.status_code == 200 and response.text == "echo-777"
    bad = dict(params, signature="0" * 40)
    assert gw.client.get("/channels/wechat", params=bad).status_code == 403
    missing = {k: v for k, v in params.items() if k != "echostr"}
    assert gw.client.get("/channels/wechat", params=missing).status_code == 400


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_bad_signature_is_rejected_and_nothing_is_processed(make_gateway, openid, mode, caplog):
    gw = make_gateway(mode)
    params, body = gw.sender.envelope(text_xml(openid, "你好"), openid)
    for name in ("signature", "msg_signature") if mode == "safe" else ("signature",):
        tampered = dict(params, **{name: "f" * 40})
        response = gw.client.post("/channels/wechat", params=tampered, content=body)
        assert response.status_code == 403
    unsigned = {k: v for k, v in params.items() if k not in ("signature",)}
    assert gw.client.post("/channels/wechat", params=unsigned, content=body).status_code == 403
    stale_params, stale_body = gw.sender.envelope(text_xml(openid, "你好"), openid, timestamp=1_600_000_000)
    assert gw.client.post("/channels/wechat", params=stale_params, content=stale_body).status_code == 403
    assert gw.backend.texts == []


def test_plain_request_to_a_safe_mode_account_is_refused(make_gateway, openid):
    gw = make_gateway("safe")
    from tests.wechat.sender import WeChatSender

    plain = WeChatSender(gw.settings.wechat_token)
    params, body = plain.envelope(text_xml(openid, "你好"), openid)
    assert gw.client.post("/channels/wechat", params=params, content=body).status_code == 400
    assert gw.backend.texts == []


@pytest.mark.parametrize("body", [
    b"<xml><ToUserName>gh</ToUserName><FromUserName>",  # truncated
    b"not xml at all",
    b"<xml><ToUserName>gh</ToUserName></xml>",  # no sender, no type
    b"<other><a>1</a></other>",
    b"",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><xml>&a;</xml>',
])
def test_malformed_xml_is_a_clear_400(make_gateway, openid, body):
    gw = make_gateway("plain")
    params, _ = gw.sender.envelope("<xml/>", openid)
    response = gw.client.post("/channels/wechat", params=params, content=body)
    assert response.status_code == 400 and response.text.startswith("bad request")
    # The gateway is still fine afterwards.
    assert gw.reply(text_xml(openid, "你好"), openid) is not None


def test_malformed_encrypted_payload_is_a_400(make_gateway, openid):
    gw = make_gateway("safe")
    params, _ = gw.sender.envelope(text_xml(openid, "hi"), openid)
    from channels.wechat.envelope import sign

    garbage = "AAAAnotreallyencrypted"
    params["msg_signature"] = sign(gw.settings.wechat_token, params["timestamp"], params["nonce"], garbage)
    body = f"<xml><ToUserName>gh</ToUserName><Encrypt>{garbage}</Encrypt></xml>".encode()
    assert gw.client.post("/channels/wechat", params=params, content=body).status_code == 400


def test_retried_message_is_processed_once_and_retries_get_the_same_reply(make_gateway, openid):
    gw = make_gateway("safe")
    xml = text_xml(openid, "你好", msg_id=new_msg_id())
    replies = [gw.reply(xml, openid) for _ in range(3)]
    assert len(gw.backend.texts) == 1
    assert replies[0] is not None
    assert all(r is None or r["Content"] == replies[0]["Content"] for r in replies[1:])


def test_event_retries_are_deduplicated_by_sender_and_create_time(make_gateway, openid):
    gw = make_gateway("plain")
    xml = event_xml(openid, "CLICK", "capability:case_status", create_time=1_700_000_123)
    for _ in range(3):
        gw.post(xml, openid)
    assert gw.backend.texts == ["查询办件进度"]


def test_slow_assistant_answers_success_then_customer_service(make_gateway, openid):
    gw = make_gateway("safe", delay=1.2, wechat_reply_budget_seconds=0.3)
    xml = text_xml(openid, "你好")
    response = gw.post(xml, openid)
    assert response.status_code == 200 and response.text == "success"
    assert gw.post(xml, openid).text == "success"  # WeChat's retry while the answer is on its way
    calls = gw.fake.wait_for("message/custom/send")
    assert calls[0]["json"]["touser"] == openid and calls[0]["json"]["msgtype"] == "text"
    assert calls[0]["json"]["text"]["content"]
    assert len(gw.backend.texts) == 1 and len(gw.fake.sent_texts(openid)) == 1


def test_ten_thousand_character_message_gets_a_polite_too_long(make_gateway, openid):
    gw = make_gateway("safe")
    reply = gw.reply(text_xml(openid, "我想办身份证" * 1667), openid)
    assert "10002" in reply["Content"] and "2000" in reply["Content"]
    assert gw.backend.texts == []
    english = gw.reply(text_xml(openid, "help me please " * 700), openid)
    assert "characters" in english["Content"]


def test_subscribe_welcomes_and_unsubscribe_is_silent(make_gateway, openid):
    gw = make_gateway("plain")
    welcome = gw.reply(event_xml(openid, "subscribe"), openid)
    assert welcome["Content"] == wechat_texts.WELCOME
    assert gw.reply(event_xml(openid, "unsubscribe"), openid) is None
    assert gw.backend.texts == []


def test_menu_clicks_ask_the_core(make_gateway, openid):
    gw = make_gateway("plain")
    reply = gw.reply(event_xml(openid, "CLICK", "matter:id_card"), openid)
    assert reply["Content"]
    assert gw.backend.texts == ["身份证怎么办理"]
    assert gw.reply(event_xml(openid, "CLICK", "help"), openid)["Content"] == wechat_texts.HELP
    unknown = gw.reply(event_xml(openid, "CLICK", "no-such-key"), openid)
    assert unknown["Content"] == wechat_texts.TEXT_OR_VOICE
    assert gw.backend.texts == ["身份证怎么办理"]


def test_other_message_types_get_text_or_voice_please(make_gateway, openid):
    gw = make_gateway("plain")
    image = message_xml(openid, "image", {"PicUrl": "http://x/y.jpg", "MediaId": "m1", "MsgId": new_msg_id()})
    assert gw.reply(image, openid)["Content"] == wechat_texts.TEXT_OR_VOICE
    assert gw.reply(event_xml(openid, "VIEW", "http://example.org"), openid) is None
    assert gw.backend.texts == []


def test_buttons_become_numbered_lines_and_a_bare_number_chooses(make_gateway, openid):
    gw = make_gateway("safe")
    offer = gw.reply(text_xml(openid, "please offer choices"), openid)["Content"]
    assert "回复 1：身份证" in offer and "回复 2：社保" in offer
    gw.reply(text_xml(openid, "１"), openid)  # full-width digit, as Chinese keyboards type it
    assert gw.backend.texts[-1] == "/greet"
    gw.reply(text_xml(openid, "7"), openid)  # not an option: goes to the core as typed
    assert gw.backend.texts[-1] == "7"
