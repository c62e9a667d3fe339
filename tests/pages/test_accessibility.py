"""axe-core (from npm) on every page in every mode: no serious or critical WCAG 2.2 A/AA violation."""

from __future__ import annotations

import pytest

from tests.pages.checks import run_axe, silence_kiosk, wait_for_more

pytestmark = pytest.mark.slow

CHAT_MODES = {
    "chinese": [],
    "english": ["click:.lang-btn[data-lang=en]"],
    "large text": ["click:#toggle-large"],
    "high contrast": ["click:#toggle-contrast"],
    "large + contrast, rating open": ["click:#toggle-large", "click:#toggle-contrast", "click:#end-chat"],
}
KIOSK_MODES = {
    "home": ("", []),
    "english": ("?lang=en", []),
    "conversation with QR": ("", ["tile"]),
    "high contrast": ("?contrast=1", ["tile"]),
    "idle warning": ("?idle=9", ["tile", "idle"]),
}


def apply(page, steps) -> None:  # type: ignore[no-untyped-def]
    for step in steps:
        kind, _, target = step.partition(":")
        if kind == "click":
            page.click(target)


@pytest.mark.parametrize("mode", list(CHAT_MODES))
def test_chat_page_has_no_serious_violations(axe_page, base_url: str, axe_source: str, mode: str) -> None:
    axe_page.goto(f"{base_url}/")
    axe_page.wait_for_selector("body[data-ready=true]")
    before = axe_page.locator(".msg.bot").count()
    axe_page.fill("#message", "你好")
    axe_page.press("#message", "Enter")
    wait_for_more(axe_page, ".msg.bot", before)
    apply(axe_page, CHAT_MODES[mode])
    assert run_axe(axe_page, axe_source) == []


@pytest.mark.parametrize("mode", list(KIOSK_MODES))
def test_kiosk_page_has_no_serious_violations(axe_page, base_url: str, axe_source: str, mode: str) -> None:
    query, steps = KIOSK_MODES[mode]
    axe_page.goto(f"{base_url}/kiosk{query}")
    axe_page.wait_for_selector("body[data-ready=true][data-voice]")
    if "tile" in steps:
        axe_page.locator("#matter-tiles .tile").first.click()
        axe_page.wait_for_selector(".k-msg.bot")
    if "idle" in steps:  # the countdown starts once the reply has been read aloud
        silence_kiosk(axe_page)
        axe_page.wait_for_selector("#idle-banner:not([hidden])", timeout=15_000)
    assert run_axe(axe_page, axe_source) == []


def test_checklist_page_has_no_serious_violations(axe_page, base_url: str, axe_source: str) -> None:
    axe_page.goto(f"{base_url}/checklist/matter/pension_certification?lang=zh")
    axe_page.wait_for_selector("body[data-ready=true]")
    assert run_axe(axe_page, axe_source) == []
