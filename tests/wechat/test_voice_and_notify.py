"""Voice messages (WeChat's Recognition, or download + decode + the project's recogniser) and
case-status template messages for citizens who linked their case with consent."""

from __future__ import annotations

import os
import random
from types import SimpleNamespace

import pytest

from channels.wechat import texts as wechat_texts
from channels.wechat.notify import parse_command
from tests.wechat.sender import text_xml, voice_xml


def amr_clip(seconds: float = 1.0) -> bytes:
    """A real AMR-NB file (12.2 kbit/s frames, 20 ms each), as WeChat stores voice messages."""
    frames = b"".join(b"\x3c" + os.urandom(31) for _ in range(int(seconds * 50)))
    return b"#!AMR\n" + frames


class RecordingRecogniser:
    """Stands in for the offline recogniser's model only: records how much audio it was given."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.heard: list[float] = []

    def transcribe(self, data, lang=None):  # type: ignore[no-untyped-def]
        from assistant.voice.audio import decode

        self.heard.append(decode(data).seconds)  # the downloaded bytes, decoded as the voice feature does
        return SimpleNamespace(text=self.text)


def test_voice_with_recognition_uses_wechats_text(make_gateway, openid):
    gw = make_gateway("safe")
    reply = gw.reply(voice_xml(openid, "media-1", "你好。"), openid)
    assert reply["Content"]
    assert gw.backend.texts == ["你好。"]
    assert gw.fake.calls_to("media/get") == []


def test_voice_without_recognition_and_no_recogniser_asks_to_type(make_gateway, openid):
    gw = make_gateway("plain")
    gw.app.state.wechat.recogniser = None
    reply = gw.reply(voice_xml(openid, "media-2", None), openid)
    assert reply["Content"] == wechat_texts.PLEASE_TYPE
    assert gw.backend.texts == []


def test_voice_without_recognition_is_downloaded_decoded_and_transcribed(make_gateway, openid):
    gw = make_gateway("safe")
    recogniser = RecordingRecogniser("你好")
    gw.app.state.wechat.recogniser = recogniser
    gw.fake.media["media-3"] = amr_clip(1.0)
    reply = gw.reply(voice_xml(openid, "media-3", ""), openid)
    assert reply["Content"] and reply["Content"] != wechat_texts.PLEASE_TYPE
    assert gw.backend.texts == ["你好"]
    assert recogniser.heard and abs(recogniser.heard[0] - 1.0) < 0.1
    assert gw.fake.calls_to("media/get")[0]["params"]["media_id"] == "media-3"


def test_voice_that_cannot_be_downloaded_asks_to_type(make_gateway, openid):
    gw = make_gateway("plain")
    gw.app.state.wechat.recogniser = RecordingRecogniser("never")
    reply = gw.reply(voice_xml(openid, "missing-media", None), openid)
    assert reply["Content"] == wechat_texts.PLEASE_TYPE
    assert gw.backend.texts == []


@pytest.mark.parametrize("text, expected", [
    ("取消通知", ("withdraw", None, None)),
    ("stop notifications", ("withdraw", None, None)),
    ("通知我 SZ2024001234 5678", ("link", "SZ2024001234", "5678")),
    ("notify me about case sz-2024001234 phone 5678", ("link", "SZ2024001234", "5678")),
    ("通知我", ("link", None, None)),
    ("我想办身份证", None),
    ("通知我们的领导", None),
])
def test_notification_commands(text, expected):
    command = parse_command(text)
    assert (None if command is None else (command.kind, command.case_number, command.last4)) == expected


def test_case_status_change_sends_a_template_to_linked_followers_only(make_gateway, openid):
    from knowledge.cases import push_cases

    gw = make_gateway("safe", data_tokens={"exit_entry": "tok-exit-entry"},
                      wechat_case_template_id="TPL_CASE_STATUS")
    number = f"WX{random.randint(10**9, 10**10 - 1)}"
    case = {"case_number": number, "matter": "passport", "department": "exit_entry",
            "applicant_name": "张三", "phone": "13800135678", "status": "received",
            "submitted_at": "2024-05-06T09:30:00+08:00", "updated_at": "2024-05-06T09:30:00+08:00",
            "note": ""}
    assert not push_cases(gw.app.state.sessions, "exit_entry", [case]).rejected

    wrong = gw.reply(text_xml(openid, f"通知我 {number} 0000"), openid)["Content"]
    assert "没有找到" in wrong
    linked = gw.reply(text_xml(openid, f"通知我 {number} 5678"), openid)["Content"]
    assert number in linked and "取消通知" in linked
    assert gw.backend.texts == []  # commands never reach the conversation

    push_cases(gw.app.state.sessions, "exit_entry",
               [dict(case, status="ready_for_pickup", updated_at="2024-05-08T09:30:00+08:00")])
    sent = gw.fake.wait_for("message/template/send")
    body = sent[0]["json"]
    assert body["touser"] == openid and body["template_id"] == "TPL_CASE_STATUS"
    assert body["data"]["keyword1"]["value"] == number and body["data"]["keyword2"]["value"] == "可领取"
    assert all(len(field["value"]) <= 20 for field in body["data"].values())

    withdrawn = gw.reply(text_xml(openid, "取消通知"), openid)["Content"]
    assert "已取消" in withdrawn
    push_cases(gw.app.state.sessions, "exit_entry",
               [dict(case, status="completed", updated_at="2024-05-09T09:30:00+08:00")])
    import time

    time.sleep(0.5)
    assert len(gw.fake.calls_to("message/template/send")) == 1
