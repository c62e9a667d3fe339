"""The chat page in real Chromium while Redis is down: the person reads the apology with the
hotline as the assistant's reply, not "network problem"."""

from __future__ import annotations

from tests.faults.conftest import Stack
from tests.pages.checks import chat_send
from tests.pages.conftest import browser, context, page, playwright  # noqa: F401 (fixtures)


def test_chat_page_shows_the_apology_while_redis_is_down(page, stack: Stack) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"{stack.url}/")
    page.wait_for_selector("body[data-ready=true]")
    stack.redis.stop()
    try:
        stack.wait_not_ready("redis")
        reply = chat_send(page, "护照怎么办理")
        assert "12345" in reply and "稍后" in reply
    finally:
        stack.redis.start()
    stack.wait_ready(timeout=30)
    assert "12345" not in chat_send(page, "你好")
