"""Synthesised audio, cached by (engine, language, rate, text) so a repeated answer costs nothing.

Most replies repeat (fees, opening hours, "请问还有什么可以帮您"), and synthesis is the slow
part of speaking. Two implementations behind one small interface: Redis when configured (all
workers share it), otherwise files under ``var_dir`` (survive restarts, one machine).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Protocol

from assistant.logs import log_event

_EXTENSIONS = {"audio/wav": "wav", "audio/mpeg": "mp3", "audio/ogg": "ogg"}
_MIMES = {ext: mime for mime, ext in _EXTENSIONS.items()}


@dataclass(frozen=True)
class Clip:
    """Audio bytes and their MIME type, as the API returns them."""

    data: bytes
    mime: str


def cache_key(engine: str, lang: str, rate: float, text: str) -> str:
    """Stable key; also used in ``/api/v1/tts/audio/{key}`` so it must be URL-safe."""
    raw = f"{engine}\x00{lang}\x00{rate:.2f}\x00{text}".encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:40]


def valid_key(key: str) -> bool:
    return len(key) == 40 and all(c in "0123456789abcdef" for c in key)


class AudioCache(Protocol):
    name: str

    def get(self, key: str) -> Optional[Clip]: ...
    def put(self, key: str, clip: Clip) -> None: ...


class DiskAudioCache:
    """One file per clip under ``root/ab/<key>.<ext>``; written atomically (rename)."""

    name = "disk"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _paths(self, key: str):  # type: ignore[no-untyped-def]
        folder = self.root / key[:2]
        return [folder / f"{key}.{ext}" for ext in _MIMES]

    def get(self, key: str) -> Optional[Clip]:
        if not valid_key(key):
            return None
        for path in self._paths(key):
            try:
                return Clip(path.read_bytes(), _MIMES[path.suffix[1:]])
            except FileNotFoundError:
                continue
            except OSError as err:  # unreadable disk: a miss, never a failed reply
                log_event("voice.cache.read_failed", error=type(err).__name__)
                return None
        return None

    def put(self, key: str, clip: Clip) -> None:
        if not valid_key(key):
            raise ValueError("bad cache key")
        target = self.root / key[:2] / f"{key}.{_EXTENSIONS.get(clip.mime, 'wav')}"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(clip.data)
            os.replace(tmp, target)
        except OSError as err:  # a full disk must not break speaking
            log_event("voice.cache.write_failed", error=type(err).__name__)


class RedisAudioCache:
    """``<prefix><key>`` -> ``mime\\n<bytes>`` with an expiry; Redis errors are cache misses."""

    name = "redis"

    def __init__(self, url: str, prefix: str = "civic:voice:", ttl_seconds: int = 30 * 86400) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._prefix = prefix
        self._ttl = ttl_seconds
        self._errors = (redis.exceptions.RedisError, OSError)

    def get(self, key: str) -> Optional[Clip]:
        try:
            value = self._redis.get(self._prefix + key)
        except self._errors as err:
            log_event("voice.cache.read_failed", error=type(err).__name__)
            return None
        if not value:
            return None
        mime, _, data = bytes(value).partition(b"\n")
        return Clip(data, mime.decode("ascii"))

    def put(self, key: str, clip: Clip) -> None:
        try:
            self._redis.set(self._prefix + key, clip.mime.encode("ascii") + b"\n" + clip.data, ex=self._ttl)
        except self._errors as err:
            log_event("voice.cache.write_failed", error=type(err).__name__)


def create_audio_cache(redis_url: Optional[str], var_dir: Path, prefix: str = "civic:voice:") -> AudioCache:
    """Redis when configured, else files under ``var_dir/voice-cache``."""
    if redis_url:
        return RedisAudioCache(redis_url, prefix=prefix)
    return DiskAudioCache(Path(var_dir) / "voice-cache")
