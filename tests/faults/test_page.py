"""The chat page in real Chromium while Redis is down: the person reads the apology with the
hotline as the assistant's reply, not "network problem"."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.faults.conftest import Stack
from tests.pages.checks import chat_send
from tests.pages.conftest import CHROMIUM, CHROMIUM_ARGS, PageErrors


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    """A browser of this module's own, closed with it: Playwright's sync API keeps an event loop
    running on the main thread while open, which async tests later in the run cannot share."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium for the page tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        context.set_default_timeout(20_000)
        page = context.new_page()
        errors = PageErrors(page)
        yield page
        errors.check()
        browser.close()


def test_chat_page_shows_the_apology_while_redis_is_down(page, stack: Stack) -> None:  # type: ignore[no-untyped-def]
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
