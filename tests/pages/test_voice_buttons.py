"""Voice on the pages against the real voice API: read-aloud buttons, the kiosk's automatic slow
reading, and speech in through Chromium's fake microphone fed with real synthesised speech."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from tests.pages.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.pages.checks import chat_send, wait_for_more

pytestmark = pytest.mark.slow

PLAYED = "() => { const a = document.getElementById('reply-audio'); return a.currentTime > 0.2 || a.ended; }"


def voice_state(base_url: str) -> dict:
    return httpx.get(f"{base_url}/readyz", timeout=30).json().get("voice") or {}


@pytest.fixture(scope="module")
def tts_ready(base_url: str, voice_api: dict) -> None:
    if not voice_api["tts"]:
        pytest.skip("this gateway has no /api/v1/tts (voice module not installed)")
    if (voice_state(base_url).get("tts") or {}).get("zh", "unavailable") == "unavailable":
        pytest.skip("no speech engine can speak Chinese on this machine (see /readyz voice)")


def test_voice_controls_match_what_the_server_offers(page, base_url: str, voice_api: dict) -> None:
    page.goto(f"{base_url}/")
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("body[data-voice]")
    chat_send(page, "你好")
    state = voice_state(base_url)
    speaks = (state.get("tts") or {}).get("zh", "unavailable") != "unavailable"
    listens = bool((state.get("stt") or {}).get("zh"))
    assert page.is_visible(".msg.bot .play") == speaks
    assert page.is_visible("#mic") == listens
    assert page.is_visible("#voice-note") == (not (speaks and listens))
    if not (speaks and listens):
        assert "语音" in page.inner_text("#voice-note")


def test_play_button_reads_the_reply_aloud(page, base_url: str, tts_ready: None) -> None:
    page.goto(f"{base_url}/")
    page.wait_for_selector("body[data-voice=on]")
    chat_send(page, "你好")
    play = page.locator(".msg.bot .play").last
    with page.expect_response("**/api/v1/tts") as spoken:
        play.click()
    response = spoken.value
    assert response.status == 200 and response.headers["content-type"].startswith("audio/")
    body = json.loads(response.request.post_data)
    assert body["lang"] == "zh" and body["mode"] == "standard" and body["text"]
    page.wait_for_function(PLAYED, timeout=20_000)
    assert page.evaluate("document.getElementById('reply-audio').duration") > 0.3


def test_kiosk_reads_every_reply_aloud_slowly(page, base_url: str, tts_ready: None) -> None:
    page.goto(f"{base_url}/kiosk")
    page.wait_for_selector("body[data-voice=on]")
    with page.expect_request(lambda r: r.url.endswith("/api/v1/tts") and r.method == "POST") as spoken:
        page.locator("#matter-tiles .tile").first.click()
    assert json.loads(spoken.value.post_data)["mode"] == "elderly"
    page.wait_for_function(PLAYED, timeout=30_000)
    page.wait_for_function("() => document.getElementById('reply-audio').ended", timeout=60_000)
    # "Repeat" plays the same reply again without asking the assistant a new question.
    chat_calls = []
    page.on("request", lambda r: chat_calls.append(r.url) if "/chat" in r.url else None)
    page.click("#repeat")
    page.wait_for_function("() => !document.getElementById('reply-audio').paused", timeout=10_000)
    assert chat_calls == []


@pytest.fixture(scope="module")
def speech_wav(base_url: str, tts_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real speech for the fake microphone, made by the voice API itself."""
    if not voice_state(base_url).get("stt", {}).get("zh"):
        pytest.skip("speech recognition is unavailable on this gateway (see /readyz voice.stt)")
    response = httpx.post(f"{base_url}/api/v1/tts", json={
        "text": "你好，我想办理身份证。", "lang": "zh", "mode": "standard", "format": "wav"}, timeout=120)
    assert response.status_code == 200
    path = tmp_path_factory.mktemp("speech") / "speech.wav"
    path.write_bytes(response.content)
    return path


@pytest.fixture()
def mic_page(playwright, speech_wav: Path):  # type: ignore[no-untyped-def]
    """A browser whose microphone says the words in ``speech_wav`` (once, then silence)."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS + [f"--use-file-for-fake-audio-capture={speech_wav}%noloop"],
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(60_000)
    yield page
    browser.close()


def test_microphone_turn_on_the_chat_page(mic_page, base_url: str) -> None:
    mic_page.goto(f"{base_url}/")
    mic_page.wait_for_selector("#mic:not([hidden])")
    mic_page.click("#mic")
    mic_page.wait_for_selector("#mic[aria-pressed=true]")
    assert "听" in mic_page.inner_text("#status")
    mic_page.wait_for_timeout(3500)
    before = mic_page.locator(".msg.bot").count()
    with mic_page.expect_response("**/api/v1/stt", timeout=120_000) as heard:
        mic_page.click("#mic")
    assert heard.value.status == 200, heard.value.text()
    transcript = heard.value.json()["text"]
    assert "身份证" in transcript or "你好" in transcript, transcript
    wait_for_more(mic_page, ".msg.bot", before, timeout=60_000)
    assert mic_page.locator(".msg.user").last.inner_text().endswith(transcript)


def test_press_to_talk_on_the_kiosk(mic_page, base_url: str) -> None:
    mic_page.goto(f"{base_url}/kiosk")
    mic_page.wait_for_selector("#talk:not([hidden])")
    mic_page.click("#talk")
    mic_page.wait_for_selector("#talk[aria-pressed=true]")
    assert re.search("正在听", mic_page.inner_text("#k-status"))
    mic_page.wait_for_timeout(3500)
    with mic_page.expect_response("**/api/v1/voice", timeout=120_000) as turn:
        mic_page.click("#talk")
    assert turn.value.status == 200, turn.value.text()
    result = turn.value.json()
    assert result["replies"] and result["mode"] == "elderly"
    mic_page.wait_for_selector(".k-msg.bot")
    assert mic_page.locator(".k-msg.user").first.inner_text().endswith(result["transcript"])
    mic_page.wait_for_function(PLAYED, timeout=60_000)  # the reply's audio_url, read aloud
