"""The kiosk page (/kiosk) in real Chromium: elderly-first sizes and contrast, tiles, QR code of
the checklist, always-present repeat/staff buttons, and the idle wipe."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.conftest import new_sender
from tests.pages.checks import contrast_report, silence_kiosk, wait_for_more

pytestmark = pytest.mark.slow

MATTER_IDS = {  # every matter in assistant.core.topics.MATTERS
    "id_card", "household_registration", "passport", "residence_permit", "social_security",
    "pension_certification", "medical_insurance", "provident_fund", "business_license",
    "marriage_registration", "birth_registration", "driver_license", "elderly_allowance",
    "property_registration", "individual_tax", "disability_certificate", "social_security_card",
    "food_business_permit", "pension_claim", "death_registration", "funeral_subsidy",
}
EVENT_IDS = {"having_a_baby", "retiring", "starting_a_business", "moving_to_the_city", "bereavement"}


def open_kiosk(page, base_url: str, query: str = "") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/kiosk{query}")
    page.wait_for_selector("body[data-ready=true][data-voice]")  # tiles drawn, voice known


def kiosk_send(page, text: str) -> None:  # type: ignore[no-untyped-def]
    before = page.locator(".k-msg.bot").count()
    page.fill("#k-input", text)
    page.press("#k-input", "Enter")
    wait_for_more(page, ".k-msg.bot", before)


def test_kiosk_endpoint_is_the_chat_contract_in_elderly_mode(base_url: str) -> None:
    body = {"sender": new_sender(), "message": "你好"}
    answer = httpx.post(f"{base_url}/api/v1/kiosk/chat", json=body, timeout=30)
    assert answer.status_code == 200
    data = answer.json()
    assert set(data) >= {"sender", "lang", "replies", "topic", "intent", "confidence"}
    assert data["sender"] == body["sender"] and data["replies"] and data["lang"] == "zh"
    bad = httpx.post(f"{base_url}/api/v1/kiosk/chat", json={"sender": "x", "message": ""}, timeout=30)
    assert bad.status_code == 422 and "message" in bad.json()["error"]
    bad = httpx.post(f"{base_url}/api/v1/kiosk/chat", json={"sender": "x", "message": "hi", "mode": "fast"},
                     timeout=30)
    assert bad.status_code == 422


def test_tiles_sizes_and_contrast_are_elderly_first(page, base_url: str) -> None:
    open_kiosk(page, base_url)
    matters = page.locator("#matter-tiles .tile")
    events = page.locator("#event-tiles .tile")
    assert matters.count() == 8
    assert {events.nth(i).get_attribute("data-id") for i in range(events.count())} == EVENT_IDS
    ids = [matters.nth(i).get_attribute("data-id") for i in range(8)]
    assert set(ids) <= MATTER_IDS and len(set(ids)) == 8
    if page.get_attribute("#matter-tiles", "data-order") == "default":
        assert ids[0] == "pension_certification"  # elderly-first default order

    sizes = page.evaluate("""() => [...document.querySelectorAll('.tile, .k-bar button, #k-input, .k-main h2')]
        .map((el) => parseFloat(getComputedStyle(el).fontSize))""")
    assert min(sizes) >= 28 * 0.8 and page.evaluate(
        "parseFloat(getComputedStyle(document.body).fontSize)") >= 28
    targets = page.evaluate("""() => [...document.querySelectorAll('button:not([hidden]), input')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => { const r = el.getBoundingClientRect(); return [el.textContent.trim(), r.width, r.height]; })""")
    small = [t for t in targets if t[1] < 60 or t[2] < 60]
    assert not small, small

    weak = [c for c in contrast_report(page) if c["ratio"] < 7]
    assert not weak, weak


def test_tile_reply_qr_checklist_and_fixed_buttons(page, base_url: str) -> None:
    open_kiosk(page, base_url)
    tile = page.locator("#matter-tiles .tile[data-id=id_card]")
    name = tile.inner_text()
    with page.expect_request("**/api/v1/kiosk/chat") as sent:
        tile.click()
    body = json.loads(sent.value.post_data)
    assert body["mode"] == "elderly" and body["lang"] == "zh" and name in body["message"]
    page.wait_for_selector(".k-msg.bot")
    assert page.is_hidden("#home-view")

    qr = page.locator("#qr svg")
    assert qr.is_visible()
    url = qr.get_attribute("data-text")
    assert re.fullmatch(re.escape(base_url) + r"/checklist/matter/id_card\?lang=zh", url), url
    assert int(qr.get_attribute("data-modules")) >= 21
    assert page.locator("#qr path").get_attribute("d").count("M") > 100
    box = qr.bounding_box()
    assert box["width"] >= 150  # big enough to scan from a phone at arm's length

    # "Repeat" and "call staff" stay on screen however long the conversation gets.
    for _ in range(3):
        kiosk_send(page, "你好")
    for selector in ("#repeat", "#call-staff"):
        b = page.locator(selector).bounding_box()
        assert b and b["y"] >= 0 and b["y"] + b["height"] <= 900, (selector, b)
    with page.expect_request("**/api/v1/kiosk/chat") as sent:
        page.click("#call-staff")
    assert json.loads(sent.value.post_data)["message"] == "/human_handoff"  # the handoff intent itself
    assert page.locator(".k-msg.user").last.inner_text().endswith("呼叫工作人员")
    page.wait_for_function("() => document.getElementById('k-status').textContent.includes('工作人员')")

    checklist = page.context.new_page()
    checklist.goto(url)
    checklist.wait_for_selector("body[data-ready=true]")
    assert "身份证" in checklist.inner_text("h1")
    catalogue = httpx.get(f"{base_url}/api/v1/matters/id_card", timeout=20)
    if catalogue.status_code == 200:
        assert checklist.locator("#materials li").count() >= 1
    checklist.close()


def test_english_kiosk(page, base_url: str) -> None:
    open_kiosk(page, base_url, "?lang=en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#call-staff").strip() == "Call a member of staff"
    with page.expect_request("**/api/v1/kiosk/chat") as sent:
        page.locator("#event-tiles .tile[data-id=retiring]").click()
    assert json.loads(sent.value.post_data)["lang"] == "en"
    page.wait_for_selector(".k-msg.bot")
    assert not re.search(r"[\u4e00-\u9fff]", page.locator(".k-msg.bot").first.inner_text())
    assert page.get_attribute("#qr svg", "data-text").endswith("/checklist/event/retiring?lang=en")


def test_idle_countdown_still_here_and_wipe(page, base_url: str) -> None:
    open_kiosk(page, base_url, "?idle=9")
    first_sender = page.evaluate("JSON.parse(localStorage.getItem('civic.kiosk.sender'))")
    kiosk_send(page, "我想办身份证")
    assert page.locator(".k-msg").count() >= 2

    # While a reply is read aloud nobody is idle; the countdown starts when the voice stops.
    silence_kiosk(page)
    page.wait_for_selector("#idle-banner:not([hidden])", timeout=10_000)
    left = int(page.get_attribute("#idle-banner", "data-seconds-left"))
    assert 1 <= left <= 3  # the last third of the wait
    assert re.search(r"\d+ 秒", page.inner_text("#idle-text"))
    assert page.evaluate("document.activeElement.id") == "still-here"
    page.click("#still-here")
    assert page.is_hidden("#idle-banner")
    assert page.locator(".k-msg").count() >= 2  # kept: the person is still here

    page.wait_for_function("() => document.body.dataset.wipes === '1'", timeout=15_000)
    assert page.locator(".k-msg").count() == 0
    assert page.is_visible("#home-view") and page.is_hidden("#talk-view")
    assert page.is_hidden("#qr-panel") and page.locator("#qr svg").count() == 0
    assert page.input_value("#k-input") == ""
    assert page.evaluate("localStorage.getItem('civic.kiosk.transcript')") is None
    assert page.evaluate("JSON.parse(localStorage.getItem('civic.kiosk.sender'))") != first_sender
    assert page.evaluate("document.body.textContent").count("身份证") <= 1  # only the tile itself
