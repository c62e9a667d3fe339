"""The staff dashboard in Debian's Chromium (Playwright, headless): login, every chart drawn
from a real analysis of synthetic logs, accepting an FAQ group, logout. Screenshots go to
docs/screenshots/."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import free_port, wait_for_http

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "dashboard-test-pass"


@pytest.fixture(scope="module")
def analysed_gateway(spark, tmp_path_factory):
    """A gateway (no model needed for the dashboard) over a database holding a real analysis."""
    from analytics import accounts
    from analytics.spark_job import analyse, store_result
    from analytics.synth import synthesize
    from knowledge.db import make_engine, make_sessionmaker

    root = tmp_path_factory.mktemp("dashboard")
    database = f"sqlite:///{root / 'dash.db'}"
    synthesize(str(root / "logs"), 3000, 21, date(2024, 11, 30))
    store_result(analyse(spark, str(root / "logs")), database, "synthetic")
    engine = make_engine(database)
    accounts.ensure_tables(engine)
    with make_sessionmaker(engine).begin() as session:
        accounts.set_user(session, "zhang.wei", PASSWORD)
    engine.dispose()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(CIVIC_ENVIRONMENT="test", CIVIC_VAR_DIR=str(root), CIVIC_DATABASE_URL=database,
               CIVIC_MODEL_DIR=str(root / "no-model"), CIVIC_PORT=str(port), CIVIC_LOG_LEVEL="WARNING",
               CIVIC_SESSION_SECRET="browser-test-secret")
    process = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], env=env,
                               cwd=Path(__file__).resolve().parents[2])
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/healthz", timeout=120, process=process)
        yield url, root
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.slow
def test_dashboard_in_chromium(analysed_gateway, browser) -> None:
    url, root = analysed_gateway
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    # Failed requests, except the browser's favicon probe and the deliberately wrong login.
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            and not (r.status == 401 and r.url.endswith("/staff/login")) else None)

    page.goto(f"{url}/staff")
    assert page.url.endswith("/staff/login")
    page.fill("#username", "zhang.wei")
    page.fill("#password", "wrong password")
    page.click("#login-button")
    page.wait_for_selector("#login-error:has-text('错误')")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "staff-login.png"))
    page.fill("#password", PASSWORD)
    page.click("#login-button")
    page.wait_for_url(f"{url}/staff")
    page.wait_for_selector("body[data-loaded='true']")
    page.wait_for_function("document.querySelectorAll('#faq-table tbody tr').length > 0")
    for chart in ("matters", "channels", "heatmap", "sunburst", "trend", "departments"):
        drawn = page.evaluate(
            "id => { const c = echarts.getInstanceByDom(document.getElementById(id));"
            " return c ? c.getOption().series[0].data.length : 0; }", f"chart-{chart}")
        assert drawn > 0, chart
    assert page.locator("#kpis .kpi").count() == 9
    page.wait_for_timeout(800)  # let the chart animations finish for the screenshot
    page.screenshot(path=str(SHOTS / "staff-dashboard.png"), full_page=True)

    page.select_option("#channel", "kiosk")
    page.select_option("#mode", "elderly")
    page.wait_for_timeout(500)
    kiosk_bars = page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-matters'))"
                               ".getOption().yAxis[0].data")
    assert any("养老金" in name for name in kiosk_bars)  # the elderly at the kiosk ask about pensions

    page.wait_for_selector("#outcomes-empty:not([hidden])")  # nothing accepted yet
    first = page.locator("#faq-table tbody tr").first
    question = first.locator("td").nth(2).inner_text()
    first.get_by_role("button", name="Accept").first.click()
    # accepting opens the catalogue editor with a Q&A draft: the question and the examples filled in
    page.wait_for_url(f"{url}/staff/editor?faq=*")
    page.wait_for_selector(".qa.new")
    added = page.locator(".qa.new")
    assert question in [added.locator("input").nth(0).input_value(), added.locator("input").nth(1).input_value()]
    assert added.locator("textarea").nth(2).input_value() or added.locator("textarea").nth(3).input_value()
    assert not list((root / "drafts").glob("faq_*.yaml"))  # no YAML under var/ any more
    added.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "editor-faq.png"))
    page.goto(f"{url}/staff")
    page.wait_for_selector("body[data-loaded='true']")
    page.wait_for_selector("#outcomes-table tbody tr")
    assert question in page.inner_text("#outcomes-table")
    page.wait_for_timeout(800)  # the charts' animations
    page.locator("#outcomes-table").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "staff-faq.png"))

    page.click("#logout")
    page.wait_for_url(f"{url}/staff/login")
    page.goto(f"{url}/staff")
    assert page.url.endswith("/staff/login")
    assert not errors, errors
    context.close()
