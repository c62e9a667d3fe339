"""One upload -> text: decoding, the "is anyone speaking?" check and Whisper, and the worker
process that runs them for the gateway.

Why a process of its own (issue 15): on threads of the gateway, recognition shared the GIL with
the event loop; faster-whisper's Python side (decoding loop, tokenizer, homophone correction)
held it often enough that one ``/healthz`` probe in 1,455 took 361 ms during 50 concurrent
uploads. A worker process has its own interpreter, so the event loop only pickles the upload
across a pipe. Each worker loads the model once, in :func:`start` (the pool's initializer),
at a lower CPU priority, and keeps it for every upload it is given.

:func:`transcribe_upload` is also what ``VoiceService.transcribe`` runs in-process (tests, the
voice bench), so both paths refuse the same bad audio the same way.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Optional, Union

from assistant.errors import InputError, UnavailableError
from assistant.logs import configure, log_event
from assistant.pools import lower_priority
from assistant.voice import audio
from assistant.voice.stt import Transcript, WhisperRecognizer

_RECOGNIZER: Optional[WhisperRecognizer] = None
_PROBLEM: Optional[str] = "the recogniser was not started in this process"


def transcribe_upload(recognizer: WhisperRecognizer, data: Union[bytes, audio.Pcm],
                      lang: Optional[str] = None) -> Transcript:
    """Upload bytes (or decoded audio) -> text. Bad audio is an InputError."""
    if lang is not None and lang not in ("zh", "en"):
        raise InputError(f"unsupported language {lang!r}; use zh or en")
    pcm = data if isinstance(data, audio.Pcm) else audio.decode(data)
    if audio.rms(pcm) < 0.002 or audio.voiced_ratio(pcm, threshold=0.01) < 0.02:
        raise InputError("no speech could be heard in the audio")
    started = time.monotonic()
    transcript = recognizer.transcribe(pcm, lang)
    log_event("voice.stt.done", lang=transcript.lang, seconds=transcript.seconds,
              ms=int((time.monotonic() - started) * 1000))
    return transcript


# --- inside a worker process ---------------------------------------------------------------------

def start(model_dir: str, nice: int, log_level: str, gateway_pid: int) -> None:
    """The pool's initializer, once per worker process: lower priority, load the model.

    Never raises (an initializer that raises breaks the whole pool): a model that cannot load
    is remembered and reported by :func:`warm` and :func:`transcribe` as UnavailableError.
    """
    global _RECOGNIZER, _PROBLEM
    configure(log_level)
    follow_parent(gateway_pid)
    lower_priority(nice)  # before the model's threads exist: they inherit it
    try:
        recognizer = WhisperRecognizer(Path(model_dir))
        recognizer.load()
    except UnavailableError as err:
        _PROBLEM = str(err)
        return
    except Exception as err:  # anything else the model's libraries raise: the same
        _PROBLEM = f"the recogniser failed to start: {type(err).__name__}: {err}"[:300]
        return
    _RECOGNIZER, _PROBLEM = recognizer, None
    log_event("voice.stt.worker_ready")


def follow_parent(parent: int, every: float = 1.0) -> threading.Thread:
    """End this worker when the gateway that started it (``parent``) is gone. A gateway stopped
    before its lifespan's shutdown ran (killed, or stopped while still starting) never tells its
    workers, and a worker waiting for jobs would otherwise live on, holding its model, for ever.
    The gateway's pid comes from the gateway: one that died while this worker was starting has
    already left it to another parent."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(0)

    thread = threading.Thread(target=watch, name="follow-parent", daemon=True)
    thread.start()
    return thread


def warm() -> Optional[str]:
    """Nothing but a round trip: the worker has started (model loaded), or why it cannot listen."""
    return _PROBLEM


def transcribe(data: bytes, lang: Optional[str]) -> Transcript:
    """What the gateway sends to a worker: one upload, its language (None: detect)."""
    if _RECOGNIZER is None:
        raise UnavailableError(f"speech recognition is unavailable: {_PROBLEM}")
    return transcribe_upload(_RECOGNIZER, data, lang)
