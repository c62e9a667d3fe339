"""Voice messages without WeChat's own recognition: AMR/Speex -> WAV -> the project's offline STT.

WeChat only adds ``Recognition`` text when the account enabled it and WeChat understood the
speech. Otherwise we download the audio, let ffmpeg decode it (it knows AMR-NB/WB and Speex) to
16 kHz mono audio, and hand that to the speech recogniser on ``app.state.voice``. Blocking: run
the decoding in a thread.
"""

from __future__ import annotations

import inspect
import shutil
import subprocess
from typing import Any, Optional

from starlette.concurrency import run_in_threadpool

from assistant.errors import CivicError, UnavailableError

FFMPEG_TIMEOUT_SECONDS = 10
MAX_AUDIO_BYTES = 2 * 1024 * 1024  # WeChat voice messages are at most 60 s, well under this


def to_wav(audio: bytes, sample_rate: int = 16000) -> bytes:
    """Decode WeChat audio (any format ffmpeg recognises) into 16-bit mono WAV bytes."""
    if not audio:
        raise UnavailableError("empty audio")
    if len(audio) > MAX_AUDIO_BYTES:
        raise UnavailableError(f"audio of {len(audio)} bytes is larger than a WeChat voice message")
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise UnavailableError("ffmpeg is not installed")
    command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-i", "pipe:0",
               "-ac", "1", "-ar", str(sample_rate), "-sample_fmt", "s16", "-f", "wav", "pipe:1"]
    try:
        done = subprocess.run(command, input=audio, capture_output=True,
                              timeout=FFMPEG_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as err:
        raise UnavailableError("ffmpeg took too long to decode the voice message") from err
    if done.returncode != 0 or len(done.stdout) <= 44:
        raise UnavailableError(f"ffmpeg could not decode the audio: {done.stderr[-200:]!r}")
    return done.stdout


def recogniser(app_state: Any) -> Optional[Any]:
    """The project's speech recogniser, if this gateway has one (the voice feature).

    ``app.state.voice`` may be the recogniser itself or a voice service holding it as ``stt``.
    """
    voice = getattr(app_state, "voice", None)
    for candidate in (voice, getattr(voice, "stt", None), getattr(voice, "recognizer", None)):
        if candidate is not None and callable(getattr(candidate, "transcribe", None)):
            return candidate
    return None


def decode_for_recogniser(audio: bytes) -> Any:
    """Audio as the project's recogniser takes it: the voice feature's 16 kHz ``Pcm`` (its own
    ffmpeg pipeline, which sniffs AMR/Speex/Ogg), or WAV bytes when that module is absent."""
    try:
        from assistant.voice.audio import decode
    except ImportError:
        return to_wav(audio)
    try:
        return decode(audio)
    except CivicError as err:
        raise UnavailableError(f"voice message could not be decoded: {err}") from err


async def transcribe(voice: Any, audio: Any, lang: Optional[str] = None) -> str:
    """Text of the speech, whether the recogniser is sync or async; ``""`` when it heard nothing."""
    result = await run_in_threadpool(voice.transcribe, audio, lang)
    if inspect.isawaitable(result):
        result = await result
    text = getattr(result, "text", result)
    return str(text or "").strip()
