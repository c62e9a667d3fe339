"""Redis down: every channel apologises with the hotline (503 on the APIs), /readyz says not
ready, the turns are still logged, and everything works again once Redis is back."""

from __future__ import annotations

import xmltodict

from tests.faults.conftest import WECHAT_TOKEN, Stack, wait_until
from tests.faults.helpers import chat, logged_texts, sender
from tests.wechat.sender import WeChatSender, new_openid, text_xml


def wechat_text(stack: Stack, content: str) -> str:
    """Send one plain-mode text message as WeChat would; the passive reply's text."""
    openid = new_openid()
    params, body = WeChatSender(WECHAT_TOKEN).envelope(text_xml(openid, content), openid)
    response = stack.http.post("/channels/wechat", params=params, content=body)
    assert response.status_code == 200, response.text
    return xmltodict.parse(response.text)["xml"]["Content"]


def test_redis_down_apologises_politely_and_recovers_without_restart(stack: Stack) -> None:
    assert chat(stack.http, "hello").status_code == 200
    stack.redis.stop()
    try:
        assert "redis" in stack.wait_not_ready("redis")["problems"]

        english = chat(stack.http, "How do I renew my passport? marker-redis-en", lang="en")
        assert english.status_code == 503 and english.headers.get("retry-after")
        body = english.json()
        assert body["lang"] == "en" and "12345" in body["replies"][0]["text"]
        assert "hotline" in body["replies"][0]["text"]

        chinese = chat(stack.http, "护照怎么办理 marker-redis-zh")
        assert chinese.status_code == 503
        assert chinese.json()["lang"] == "zh" and "12345" in chinese.json()["replies"][0]["text"]
        assert "稍后" in chinese.json()["replies"][0]["text"]

        kiosk = stack.http.post("/api/v1/kiosk/chat", json={"sender": sender(stack.http), "message": "护照怎么办"})
        assert kiosk.status_code == 503 and "12345" in kiosk.json()["replies"][0]["text"]

        assert "12345" in wechat_text(stack, "护照怎么办")

        # other APIs that need the store: 503 with a clear error that names no host or port
        staff = stack.http.post("/staff/login", json={"username": "someone", "password": "password-1"})
        assert staff.status_code == 503 and "unavailable" in staff.json()["error"]
        assert "127.0.0.1" not in staff.text and str(stack.redis.port) not in staff.text
    finally:
        stack.redis.start()

    stack.wait_ready(timeout=30)
    again = chat(stack.http, "How do I renew my passport?")
    assert again.status_code == 200 and again.json()["replies"]
    assert "12345" not in wechat_text(stack, "你好")  # the channel answers normally again

    # nothing said during the outage is lost from the interaction log
    wanted = ("marker-redis-en", "marker-redis-zh")
    wait_until(lambda: all(any(w in t for t in logged_texts(stack.var_dir)) for w in wanted), 15,
               "the turns sent while Redis was down were not logged")

