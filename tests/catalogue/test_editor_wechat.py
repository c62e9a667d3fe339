"""A publication reaches WeChat without a restart (issue 17): the passport fee published in the
database is what a follower's text message is answered with, through the shared action server;
and the rollback is too. (The web chat and the kiosk: ``test_editor_browser.py``.)"""

from __future__ import annotations

import time

from knowledge import editor
from knowledge.db import make_engine, make_sessionmaker
from tests.wechat.conftest import fake_wechat, make_gateway, openid  # noqa: F401  (fixtures)
from tests.wechat.sender import new_openid, text_xml

NEW_FEE = "普通护照135元；往来港澳通行证卡式60元，签注每次15元；往来台湾通行证卡式60元。"


def fee_in_reply(gw, amount: str) -> bool:  # type: ignore[no-untyped-def]
    follower = new_openid()
    reply = gw.reply(text_xml(follower, "办护照要多少钱"), follower)
    return reply is not None and amount in reply.get("Content", "")


def wait_for(check, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("not answered within a minute (the check interval is 10 s)")
        time.sleep(1)


def test_a_published_fee_is_what_wechat_answers(make_gateway, test_settings) -> None:  # noqa: F811
    gw = make_gateway("safe")
    assert fee_in_reply(gw, "120元")
    engine = make_engine(test_settings.effective_database_url)
    sessions = make_sessionmaker(engine)
    content = editor.shipped_content("passport")
    content["fees"]["zh"], content["fee_amount_yuan"] = NEW_FEE, 135
    try:
        with sessions.begin() as session:
            row = editor.save_draft(session, matter_id="passport", content=content, user="li.editor")
            editor.publish(session, matter_id="passport", number=row.number, user="wang.approver")
        wait_for(lambda: fee_in_reply(gw, "135元"))
    finally:
        with sessions.begin() as session:
            editor.rollback(session, matter_id="passport", number=0, user="wang.approver")
        engine.dispose()
    wait_for(lambda: fee_in_reply(gw, "120元"))
