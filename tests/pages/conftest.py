"""Browser fixtures: Debian's Chromium driven by Playwright for Python (never a downloaded
browser), one browser per run, a fresh context (empty localStorage) per test, and helpers that
measure what the pages promise: contrast ratios, font sizes, focus rings, axe-core results."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator, List

import httpx
import pytest

from assistant.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required",
    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Package scope: Playwright's sync API keeps an event loop running on the main thread while it is
# open, and async tests elsewhere in the run cannot start theirs under it.
@pytest.fixture(scope="package")
def playwright() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt) for the page tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright) -> Iterator[object]:  # type: ignore[no-untyped-def]
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make frontend` (npm ci installs axe-core)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> str:
    """The live gateway of this run (``--pages-url`` from a local plugin points at a running one
    while developing the pages, skipping the model training)."""
    return request.config.getoption("pages_url", None) or request.getfixturevalue("live_gateway")


@pytest.fixture(scope="session")
def voice_api(base_url: str) -> Dict[str, bool]:
    """Whether the gateway has the voice endpoints (an empty request: 404 means absent)."""
    found = {}
    for name, kwargs in (("tts", {"json": {}}), ("stt", {"files": {}}), ("voice", {"files": {}})):
        response = httpx.post(f"{base_url}/api/v1/{name}", timeout=30, **kwargs)
        found[name] = response.status_code not in (404, 405)
    return found


class PageErrors:
    """JavaScript errors and failed requests a page produced (404s of optional APIs are expected)."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.errors: List[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}")
                if m.type == "error" and "Failed to load resource" not in m.text else None)

    def check(self) -> None:
        assert not self.errors, self.errors


@pytest.fixture()
def context(browser):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context):  # type: ignore[no-untyped-def]
    page = context.new_page()
    errors = PageErrors(page)
    yield page
    errors.check()


@pytest.fixture()
def axe_page(browser):  # type: ignore[no-untyped-def]
    """A page whose CSP lets the test inject axe-core (the pages themselves allow no inline script)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    ctx.set_default_timeout(20_000)
    page = ctx.new_page()
    yield page
    ctx.close()
