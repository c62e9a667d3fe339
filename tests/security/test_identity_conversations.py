"""Reaching case data without the check (issue 15): conversation ids are namespaced per channel
and the web and kiosk APIs take only ids the server issued, so an id seen in a log (the
pseudonym of a WeChat OpenID) addresses nothing, and "say that again" never repeats a case to
someone who did not pass the check."""

from __future__ import annotations

import random

import pytest

from assistant.core.identity import conversation_id, is_issued, issue_sender
from assistant.logs import pseudonym
from knowledge.cases import push_cases
from tests.conftest import new_chat_sender
from tests.wechat.conftest import fake_wechat, make_gateway, openid  # noqa: F401 - fixtures
from tests.wechat.sender import text_xml

pytestmark = pytest.mark.slow


def test_chat_refuses_a_sender_the_server_did_not_issue(client) -> None:
    for sender in ("web-0123456789abcdef", "test-abc", "o" + "x" * 27):
        response = client.post("/api/v1/chat", json={"sender": sender, "message": "你好"})
        assert response.status_code == 401 and "/api/v1/session" in response.json()["error"]
        assert client.post("/api/v1/kiosk/chat", json={"sender": sender, "message": "你好"}).status_code == 401
    issued = new_chat_sender(client)
    assert client.post("/api/v1/chat", json={"sender": issued, "message": "你好"}).status_code == 200
    assert client.post("/api/v1/kiosk/chat", json={"sender": issued, "message": "你好"}).status_code == 200
    nonce, signature = issued.rsplit(".", 1)
    tampered = f"{nonce[:-1]}{'A' if nonce[-1] != 'A' else 'B'}.{signature}"
    assert client.post("/api/v1/chat", json={"sender": tampered, "message": "你好"}).status_code == 401
    other_secret = issue_sender("another gateway's secret")
    assert client.post("/api/v1/chat", json={"sender": other_secret, "message": "你好"}).status_code == 401


def test_the_logged_pseudonym_of_an_issued_id_addresses_nothing(client, test_settings) -> None:
    sender = new_chat_sender(client)
    client.post("/api/v1/chat", json={"sender": sender, "message": "hello"})
    logged = pseudonym(sender, test_settings.id_salt)  # what chat.turn writes to the log
    assert client.post("/api/v1/chat", json={"sender": logged, "message": "say that again"}).status_code == 401


def test_conversations_are_namespaced_per_channel() -> None:
    ids = {conversation_id(channel, "same-id") for channel in ("web", "kiosk", "wechat", "rest")}
    assert len(ids) == 4


def test_a_wechat_conversation_seen_in_the_log_cannot_be_repeated_elsewhere(make_gateway, openid) -> None:  # noqa: F811
    gw = make_gateway("plain", data_tokens={"exit_entry": "tok-exit-entry"})
    number = f"WX{random.randint(10**9, 10**10 - 1)}"
    case = {"case_number": number, "matter": "passport", "department": "exit_entry",
            "applicant_name": "张三", "phone": "13800135678", "status": "ready_for_pickup",
            "submitted_at": "2024-05-06T09:30:00+08:00", "updated_at": "2024-05-06T09:30:00+08:00", "note": ""}
    assert not push_cases(gw.app.state.sessions, "exit_entry", [case]).rejected
    shown = gw.reply(text_xml(openid, f"办件编号{number}，手机尾号5678"), openid)["Content"]
    assert number in shown  # the owner, checked, sees the case
    logged = pseudonym(openid, gw.settings.id_salt)  # "sender=..." in the gateway's log
    for path in ("/api/v1/chat", "/api/v1/kiosk/chat"):
        response = gw.client.post(path, json={"sender": logged, "message": "再说一遍"})
        assert response.status_code == 401, path
        assert number not in response.text
    for sender in (logged, f"wechat:{logged}", openid):
        rest = gw.client.post("/webhooks/rest/webhook", json={"sender": sender, "message": "再说一遍"})
        assert rest.status_code == 401 and number not in rest.text


def test_a_rest_client_without_a_sender_is_given_one_and_keeps_its_conversation(client) -> None:
    first = client.post("/webhooks/rest/webhook", json={"message": "hello"})
    assert first.status_code == 200
    sender = first.json()[0]["recipient_id"]
    assert is_issued(client.app.state.settings.session_secret, sender)
    again = client.post("/webhooks/rest/webhook", json={"sender": sender, "message": "say that again"})
    assert again.status_code == 200
    assert [m["text"] for m in again.json()] == [m["text"] for m in first.json()]
