"""WeChat (issue 15): the "notify me" command goes through the one case check with its lockout,
and a captured plain-mode signature cannot carry another message or user."""

from __future__ import annotations

import random

import pytest

from knowledge.cases import push_cases
from tests.wechat.conftest import fake_wechat, make_gateway  # noqa: F401 - fixtures
from tests.wechat.sender import new_openid, text_xml

pytestmark = pytest.mark.slow


def pushed(gw) -> str:  # type: ignore[no-untyped-def]
    number = f"WX{random.randint(10**9, 10**10 - 1)}"
    case = {"case_number": number, "matter": "passport", "department": "exit_entry",
            "applicant_name": "张三", "phone": "13800135678", "status": "received",
            "submitted_at": "2024-05-06T09:30:00+08:00", "updated_at": "2024-05-06T09:30:00+08:00", "note": ""}
    assert not push_cases(gw.app.state.sessions, "exit_entry", [case]).rejected
    return number


def test_notify_command_is_locked_after_wrong_guesses_like_the_chat(make_gateway) -> None:  # noqa: F811
    gw = make_gateway("plain", data_tokens={"exit_entry": "tok-exit-entry"},
                      wechat_case_template_id="TPL_CASE_STATUS")
    number = pushed(gw)
    guesser, owner = new_openid(), new_openid()
    answers = [gw.reply(text_xml(guesser, f"通知我 {number} {i:04d}"), guesser)["Content"] for i in range(40)]
    assert "锁定" in answers[-1]
    right = gw.reply(text_xml(guesser, f"通知我 {number} 5678"), guesser)["Content"]
    assert "锁定" in right and "会发消息通知您" not in right
    # the same lock holds for this user's chat check: one check, one count
    chat = gw.reply(text_xml(guesser, f"办件编号{number}，手机尾号5678"), guesser)["Content"]
    assert number not in chat
    # a stranger's guesses do not lock the owner out
    linked = gw.reply(text_xml(owner, f"通知我 {number} 5678"), owner)["Content"]
    assert "会发消息通知您" in linked and gw.backend.texts.count(f"通知我 {number} 5678") == 0


def test_a_replayed_plain_mode_signature_is_refused(make_gateway) -> None:  # noqa: F811
    gw = make_gateway("plain")
    user, attacker = new_openid(), new_openid()
    params, body = gw.sender.envelope(text_xml(user, "你好"), user)
    first = gw.client.post("/channels/wechat", params=params, content=body)
    assert first.status_code == 200
    retry = gw.client.post("/channels/wechat", params=params, content=body)  # WeChat's own retry
    assert retry.status_code == 200
    forged = text_xml(attacker, "查询办件进度").encode()
    replayed = gw.client.post("/channels/wechat", params=dict(params, openid=attacker), content=forged)
    assert replayed.status_code == 403
    assert gw.backend.texts == ["你好"]
