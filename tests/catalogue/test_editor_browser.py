"""Issue 17 in Debian's Chromium (Playwright, headless), against the real gateway process and the
real action server (separate processes, neither restarted): an editor changes the passport fee and
saves a draft (a bad field is refused and marked first), an approver publishes it, and the web
chat and the kiosk quote the new fee; a rollback to the shipped version brings the old fee back.
Screenshots of the editor go to docs/screenshots/."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import httpx
import pytest

from tests.conftest import new_chat_sender

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "editor-browser-pass"
OLD_FEE = "普通护照120元"
NEW_FEE = "普通护照140元；往来港澳通行证卡式60元，签注每次15元；往来台湾通行证卡式60元。"


@pytest.fixture(scope="module")
def staff_accounts(test_settings):
    from analytics import accounts
    from knowledge.db import make_engine, make_sessionmaker

    engine = make_engine(test_settings.effective_database_url)
    accounts.ensure_tables(engine)
    with make_sessionmaker(engine).begin() as session:
        accounts.set_user(session, "chen.editor", PASSWORD, role="editor")
        accounts.set_user(session, "zhao.approver", PASSWORD, role="approver")
    yield
    restore_version_zero(make_sessionmaker(engine), ("passport", "t_kites_301"))
    engine.dispose()


def restore_version_zero(sessions, matter_ids) -> None:  # type: ignore[no-untyped-def]
    """The run's later tests (the dialogues) expect the shipped facts, even after a failure here."""
    from assistant.errors import NotFoundError
    from knowledge import editor

    for matter_id in matter_ids:
        with sessions.begin() as session:
            try:
                current = editor.live(session, matter_id)
                if current is not None and editor.content_of(session, matter_id, current.number) != \
                        editor.content_of(session, matter_id, 0):
                    editor.rollback(session, matter_id=matter_id, number=0, user="test-teardown")
            except NotFoundError:
                continue


def fee_reply(url: str, path: str = "/api/v1/chat") -> str:
    sender = new_chat_sender(url)
    response = httpx.post(f"{url}{path}", json={"sender": sender, "message": "办护照要多少钱", "lang": "zh"},
                          timeout=60)
    assert response.status_code == 200, response.text
    return " ".join(r.get("text") or "" for r in response.json()["replies"])


def until(check: Callable[[], bool], seconds: float = 60) -> float:
    """The action server notices a publication within CIVIC_CATALOGUE_CHECK_SECONDS (10 s); the
    seconds it took are printed (docs/benchmarks.md)."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > seconds:
            raise AssertionError("not seen within a minute")
        time.sleep(1)
    print(f"publication.seen_in_chat seconds={time.monotonic() - started:.1f}")
    return time.monotonic() - started


def sign_in(browser, url: str, username: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") and "/drafts" not in r.url else None)
    page.goto(f"{url}/staff/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-button")
    page.wait_for_url(f"{url}/staff")
    page.goto(f"{url}/staff/editor?matter=passport")
    page.wait_for_selector("body[data-loaded='passport']")
    return context, page, errors


@pytest.mark.slow
def test_editor_changes_a_fee_approver_publishes_chat_quotes_it_rollback_restores(
        live_gateway, staff_accounts, browser) -> None:
    url = live_gateway
    assert OLD_FEE in fee_reply(url)
    SHOTS.mkdir(parents=True, exist_ok=True)

    context, page, errors = sign_in(browser, url, "chen.editor")
    assert page.locator("#versions button.publish").count() == 0  # an editor never sees Publish
    page.fill("#f-fees-zh", NEW_FEE)
    page.fill("#f-fee-amount-yuan", "140")
    page.screenshot(path=str(SHOTS / "editor-facts.png"))
    page.fill("#f-fees-en", "")  # forgotten: the draft is refused and the field marked
    page.click("#save-draft")
    page.wait_for_selector("[data-field='fees.en'].invalid .problem")
    assert "Not saved" in page.inner_text("#message")
    page.locator("[data-field='fees.en']").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "editor-validation.png"))
    page.fill("#f-fees-en", "Passport 140 yuan; Hong Kong/Macau permit 60 yuan plus 15 yuan per endorsement; "
                            "Taiwan permit 60 yuan.")
    page.fill("#note", "护照费调整 passport fee changed")
    page.click("#save-draft")
    page.wait_for_selector("#message:has-text('Draft saved')")
    page.wait_for_selector("#diff tbody tr")
    assert "140" in page.inner_text("#diff")
    draft = page.locator("#versions tbody tr[data-status='draft']").first.get_attribute("data-number")
    assert OLD_FEE in fee_reply(url)  # a draft changes nothing the public sees
    page.locator("#diff-card").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "editor-draft.png"), full_page=False)
    assert not errors, errors
    context.close()

    context, page, errors = sign_in(browser, url, "zhao.approver")
    page.locator(f"#versions tr[data-number='{draft}'] button.publish").click()
    page.wait_for_selector("#message:has-text('Published')")
    page.wait_for_selector(f"#versions tr[data-number='{draft}'] .live-tag")
    page.locator("#versions").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "editor-versions.png"))
    until(lambda: "140元" in fee_reply(url))  # the web chat, through the action server
    assert "140元" in fee_reply(url, "/api/v1/kiosk/chat")  # the kiosk (elderly mode) too
    assert "140元" in httpx.get(f"{url}/api/v1/matters/passport").json()["fees"]["zh"]

    page.locator("#versions tr[data-number='0'] button.rollback").click()
    page.wait_for_selector("#message:has-text('Rolled back to version 0')")
    until(lambda: OLD_FEE in fee_reply(url))
    assert "140元" not in fee_reply(url, "/api/v1/kiosk/chat")
    audit = page.inner_text("#audit")
    assert "zhao.approver · rollback" in audit and "zhao.approver · publish" in audit and "chen.editor · draft" in audit
    assert not errors, errors
    context.close()


QUESTION = "护照照片可以自己带吗"
ANSWER = "不用自带：出入境窗口现场免费拍照，自带的照片一般不收。"


@pytest.mark.slow
def test_a_published_faq_answer_is_what_the_chat_answers(live_gateway, staff_accounts) -> None:
    """The FAQ loop's last step through the real chat: a Q&A an approver publishes is answered."""
    url = live_gateway
    with httpx.Client(base_url=url, timeout=60) as staff:
        assert staff.post("/staff/login", json={"username": "zhao.approver", "password": PASSWORD}).status_code == 200
        content = staff.get("/staff/api/editor/matters/passport").json()["content"]
        content["faq"].append({"q": {"zh": QUESTION, "en": "Can I bring my own passport photo?"},
                               "a": {"zh": ANSWER, "en": "No need: the exit-entry window takes your photo for free."},
                               "also": {"zh": ["办护照能用自己拍的照片吗", "护照相片自带行不行"], "en": []}})
        saved = staff.post("/staff/api/editor/matters/passport/drafts", json={"content": content})
        assert saved.status_code == 200, saved.text

        def answered(text: str) -> bool:
            sender = new_chat_sender(url)
            replies = []
            for message in ("我想办护照", text):  # asked about the passport, as people do
                response = httpx.post(f"{url}/api/v1/chat", json={"sender": sender, "message": message, "lang": "zh"},
                                      timeout=60)
                replies = [r.get("text") or "" for r in response.json()["replies"]]
            return any(ANSWER in r for r in replies)

        assert not answered(QUESTION)  # a draft answers nobody
        published = staff.post(f"/staff/api/editor/matters/passport/versions/{saved.json()['number']}/publish",
                               json={})
        assert published.status_code == 200, published.text
        try:
            until(lambda: answered(QUESTION))
            assert answered("护照相片自带行不行")  # one of the examples, as people typed it
        finally:
            assert staff.post("/staff/api/editor/matters/passport/versions/0/rollback", json={}).status_code == 200


KITES = "风筝节场地租用申请"


@pytest.mark.slow
def test_an_imported_matters_fee_edited_in_the_browser_reaches_the_chat(live_gateway, staff_accounts, browser,
                                                                        test_settings) -> None:
    """A matter of the city's list: its own form (the list's fields), the fee changed and published,
    the imported-matter answer in the chat quotes it."""
    from knowledge.catalogue_import.store import import_bytes
    from knowledge.db import make_engine, make_sessionmaker
    from tests.catalogue.conftest import csv_bytes, row

    url = live_gateway
    engine = make_engine(test_settings.effective_database_url)
    try:
        import_bytes(make_sessionmaker(engine), csv_bytes([row(
            "T-KITES-301", KITES, 实施主体="江州市文化广电旅游局", 收费标准="每天80元",
            申请材料="居民身份证（原件1份）\n场地租用申请表（原件1份）", 办理地点="江州市民中心E区文旅窗口E9号")]), "kites.csv")
    finally:
        engine.dispose()
    matter_id = "t_kites_301"

    def fee_said(amount: str) -> bool:
        sender = new_chat_sender(url)
        replies = []
        for message in ("风筝节的场地租用怎么申请", "要交多少钱"):
            response = httpx.post(f"{url}/api/v1/chat", json={"sender": sender, "message": message, "lang": "zh"},
                                  timeout=60)
            replies = [r.get("text") or "" for r in response.json()["replies"]]
        return any(amount in r for r in replies)

    until(lambda: fee_said("每天80元"))  # the import reached the action server
    context, page, errors = sign_in(browser, url, "zhao.approver")
    page.select_option("#matter", matter_id)
    page.wait_for_selector(f"body[data-loaded='{matter_id}']")
    assert page.locator("#faq-card").is_hidden()  # the list has no Q&A of its own
    assert page.input_value("#f-name-zh") == KITES
    page.fill("#f-items-0--fee", "每天95元")
    page.fill("#f-items-0--fee-yuan", "95")
    page.fill("#f-channel", "by_post")
    page.click("#save-draft")
    page.wait_for_selector("[data-field='channel'].invalid .problem")
    page.fill("#f-channel", "online_and_in_person")
    page.click("#save-draft")
    page.wait_for_selector("#message:has-text('Draft saved')")
    page.screenshot(path=str(SHOTS / "editor-imported.png"))
    draft = page.locator("#versions tbody tr[data-status='draft']").first.get_attribute("data-number")
    page.locator(f"#versions tr[data-number='{draft}'] button.publish").click()
    page.wait_for_selector("#message:has-text('Published')")
    assert httpx.get(f"{url}/api/v1/matters/{matter_id}").json()["items"][0]["fee"] == "每天95元"
    until(lambda: fee_said("每天95元"))
    page.locator("#versions tr[data-number='0'] button.rollback").click()
    page.wait_for_selector("#message:has-text('Rolled back to version 0')")
    until(lambda: fee_said("每天80元"))
    assert not errors, errors
    context.close()


def test_the_editor_page_has_no_serious_accessibility_violations(live_gateway, staff_accounts, browser) -> None:
    """axe-core (npm, served by us; WCAG 2.2 A/AA) on the editor, a bad field marked included."""
    from tests.pages.checks import run_axe
    from tests.pages.conftest import AXE

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make frontend` (npm ci installs axe-core)")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{live_gateway}/staff/login")
    page.fill("#username", "chen.editor")
    page.fill("#password", PASSWORD)
    page.click("#login-button")
    page.wait_for_url(f"{live_gateway}/staff")
    page.goto(f"{live_gateway}/staff/editor?matter=passport")
    page.wait_for_selector("body[data-loaded='passport']")
    page.fill("#f-fees-en", "")
    page.click("#save-draft")
    page.wait_for_selector("[data-field='fees.en'].invalid .problem")
    assert run_axe(page, AXE.read_text(encoding="utf-8")) == []
    context.close()
