"""The web chat page (/) in real Chromium against the real gateway, model and action server."""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import httpx
import pytest

from tests.pages.checks import (
    bot_count, chat_send, contrast_report, focused, scroll_overflow, wait_for_more,
)

pytestmark = pytest.mark.slow

CJK = re.compile(r"[\u4e00-\u9fff]")


def open_chat(page, base_url: str, query: str = "") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/{query}")
    page.wait_for_selector("body[data-ready=true]")


def test_reply_in_chinese_then_english(page, base_url: str) -> None:
    open_chat(page, base_url)
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.get_attribute("#log", "role") == "log"
    assert page.get_attribute("#log", "aria-live") == "polite"

    with page.expect_request("**/api/v1/chat") as sent:
        reply = chat_send(page, "你好")
    assert json.loads(sent.value.post_data)["lang"] == "zh"
    assert CJK.search(reply), reply

    page.click(".lang-btn[data-lang=en]")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#composer label") == "Type your question"
    with page.expect_request("**/api/v1/chat") as sent:
        reply = chat_send(page, "hello")
    assert json.loads(sent.value.post_data)["lang"] == "en"
    assert not CJK.search(reply) and re.search(r"[A-Za-z]{3,}", reply), reply


def test_keyboard_only_conversation(page, base_url: str) -> None:
    open_chat(page, base_url)
    page.keyboard.press("Tab")
    first = focused(page)
    assert "skip-link" in first["cls"], first
    assert first["outline"] != "none" and first["width"] >= 3, first
    page.keyboard.press("Enter")  # the skip link jumps to the message box
    assert focused(page)["id"] == "message"

    before = bot_count(page)
    page.keyboard.type("你好")
    page.keyboard.press("Enter")
    wait_for_more(page, ".msg.bot", before)
    assert focused(page)["id"] == "message", "focus stays in the box after sending"

    # Back up to a quick-reply button with Shift+Tab and use it with the keyboard.
    for _ in range(30):
        page.keyboard.press("Shift+Tab")
        state = focused(page)
        if "quick" in page.evaluate("document.activeElement.parentElement.className"):
            break
    else:
        pytest.fail("no quick-reply button reachable with Shift+Tab")
    assert state["outline"] != "none" and state["width"] >= 3, state
    title = state["text"]
    before = bot_count(page)
    page.keyboard.press("Enter")
    wait_for_more(page, ".msg.bot", before)
    assert page.locator(".msg.user").last.inner_text().endswith(title)


def test_session_survives_reload(page, base_url: str) -> None:
    open_chat(page, base_url)
    chat_send(page, "你好")
    sender = page.evaluate("JSON.parse(localStorage.getItem('civic.web.sender'))")
    messages = page.locator(".msg").count()
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator(".msg").count() == messages
    assert page.locator(".msg.user").last.inner_text().endswith("你好")
    assert page.evaluate("JSON.parse(localStorage.getItem('civic.web.sender'))") == sender

    page.click("#new-chat")
    assert page.locator(".msg").count() == 1  # only the welcome
    assert page.evaluate("JSON.parse(localStorage.getItem('civic.web.sender'))") != sender


def test_large_text_and_high_contrast(page, base_url: str) -> None:
    open_chat(page, base_url)
    chat_send(page, "你好")
    default = contrast_report(page)
    low = [c for c in default if c["ratio"] < 4.5]
    assert not low, low

    page.click("#toggle-large")
    assert page.get_attribute("#toggle-large", "aria-pressed") == "true"
    sizes = page.evaluate("""() => [...document.querySelectorAll('.msg p, #message, body')].map((el) => {
        const s = getComputedStyle(el); return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; })""")
    for size, line_height in sizes:
        assert size >= 24, sizes
        assert line_height / size >= 1.5 - 1e-6, sizes

    page.click("#toggle-contrast")
    report = contrast_report(page)
    assert len(report) > 10
    weak = [c for c in report if c["ratio"] < 7]
    assert not weak, weak

    page.reload()  # the choices are remembered
    page.wait_for_selector("body[data-ready=true]")
    assert {"contrast", "large"} <= set(page.evaluate("document.documentElement.className").split())


@pytest.mark.parametrize("width,height,large", [(320, 640, False), (320, 640, True), (640, 450, True)])
def test_layout_holds_narrow_and_zoomed(browser, base_url: str, width: int, height: int, large: bool) -> None:
    """320 CSS px wide, and 1280x900 at 200% zoom (= 640x450 CSS px), with and without large text."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = ctx.new_page()
    try:
        open_chat(page, base_url)
        if large:
            page.click("#toggle-large")
        chat_send(page, "我想预约办理身份证，请问需要带什么材料？")
        page.click("#end-chat")
        assert scroll_overflow(page) <= 0
        for selector in ("#send", "#message", ".rating-buttons button >> nth=4", "#search-input"):
            box = page.locator(selector).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (selector, box)
    finally:
        ctx.close()


def test_search_box_finds_matters_or_says_it_cannot(page, base_url: str) -> None:
    api = httpx.get(f"{base_url}/api/v1/search", params={"q": "户口", "lang": "zh"}, timeout=20)
    open_chat(page, base_url)
    page.fill("#search-input", "户口")
    page.press("#search-input", "Enter")
    page.wait_for_function("() => document.getElementById('search-status').textContent.length > 0")
    status = page.inner_text("#search-status")
    if api.status_code == 404:
        assert "不能搜索" in status  # degrades with a clear note
        return
    assert api.status_code == 200
    assert page.locator("#search-results li").count() >= 1
    assert "户口" in page.locator("#search-results li").first.inner_text()
    before = bot_count(page)
    page.locator("#search-results li button").first.click()
    wait_for_more(page, ".msg.bot", before)


def test_satisfaction_rating_is_sent_as_feedback(page, base_url: str) -> None:
    open_chat(page, base_url)
    chat_send(page, "你好")
    assert page.is_hidden("#rating")
    page.click("#end-chat")
    assert page.is_visible("#rating")
    assert page.evaluate("document.activeElement.dataset.rating") == "1"  # focus moved into the rating
    assert page.locator(".rating-buttons button").count() == 5
    before = bot_count(page)
    with page.expect_request("**/api/v1/chat") as sent:
        page.click(".rating-buttons button[data-rating='4']")
    assert json.loads(sent.value.post_data)["message"] == '/feedback{"rating":"4"}'
    wait_for_more(page, ".msg.bot", before)
    assert page.is_hidden("#rating")
    assert "感谢" in page.inner_text("#status")
    assert "满意" in page.locator(".msg.user").last.inner_text()


def test_widget_embeds_the_chat_in_another_site(page, base_url: str, portal_port: int) -> None:
    html = ("<!doctype html><html lang='en'><head><title>City portal</title></head><body><h1>City portal</h1>"
            f"<script src='{base_url}/static/widget.js' data-lang='en'></script></body></html>")
    # another origin, listed in the gateway's CIVIC_FRAME_ANCESTORS: a government portal
    with portal_site(html, portal_port) as portal:
        page.goto(portal)
        use_widget(page)


@contextmanager
def portal_site(html: str, port: int = 0) -> Iterator[str]:
    body = html.encode()

    class Portal(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def use_widget(page) -> None:  # type: ignore[no-untyped-def]
    launcher = page.locator("#civic-widget-launcher")
    launcher.wait_for()
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    frame = page.frame_locator("#civic-widget-panel iframe")
    frame.locator("body[data-ready=true]").wait_for()
    frame.locator("#message").fill("hello")
    frame.locator("#message").press("Enter")
    frame.locator(".msg.bot").nth(1).wait_for()
    assert not CJK.search(frame.locator(".msg.bot").nth(1).inner_text())
    page.focus("#civic-widget-panel > button")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "civic-widget-launcher"
    assert launcher.get_attribute("aria-expanded") == "false"
