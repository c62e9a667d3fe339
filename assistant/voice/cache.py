"""Synthesised audio, cached by (engine, language, rate, text) so a repeated answer costs nothing.

Most replies repeat (fees, opening hours, "请问还有什么可以帮您"), and synthesis is the slow
part of speaking. Two implementations behind one small interface: Redis when configured (all
workers share it), otherwise files under ``var_dir`` (survive restarts, one machine).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Protocol

from assistant.logs import log_event
from assistant.state import connect_redis

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
    """One file per clip under ``root/ab/<key>.<ext>``; written atomically (rename).

    Bounded like the Redis cache: no clip over ``max_entry`` bytes, and no writes once the
    folder holds ``max_total`` bytes (counted once at the first write, then kept up to date).
    """

    name = "disk"

    def __init__(self, root: Path, max_entry: int = 2 * 1024 * 1024, max_total: int = 256 * 1024 * 1024) -> None:
        self.root = Path(root)
        self.max_entry = max_entry
        self.max_total = max_total
        self._used: Optional[int] = None
        self._lock = threading.Lock()

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

    def _reserve(self, size: int) -> bool:
        with self._lock:
            if self._used is None:
                self._used = sum(p.stat().st_size for p in self.root.glob("*/*") if p.is_file()) \
                    if self.root.is_dir() else 0
            if size > self.max_entry or self._used + size > self.max_total:
                return False
            self._used += size
            return True

    def put(self, key: str, clip: Clip) -> None:
        if not valid_key(key):
            raise ValueError("bad cache key")
        if not self._reserve(len(clip.data)):
            log_event("voice.cache.skipped", bytes=len(clip.data))
            return
        target = self.root / key[:2] / f"{key}.{_EXTENSIONS.get(clip.mime, 'wav')}"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(clip.data)
            os.replace(tmp, target)
        except OSError as err:  # a full disk must not break speaking
            log_event("voice.cache.write_failed", error=type(err).__name__)


#: Store the clip only if this TTL window's budget allows it, and count it. A window's budget
#: key lives as long as a clip, so at any moment at most two windows' budgets are stored.
_PUT = """
local used = tonumber(redis.call('GET', KEYS[2]) or '0')
local size = string.len(ARGV[1])
if used + size > tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('INCRBY', KEYS[2], size)
if redis.call('PTTL', KEYS[2]) < 0 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1
"""


class RedisAudioCache:
    """``<prefix><key>`` -> ``mime\\n<bytes>`` with an expiry; Redis errors are cache misses.

    This Redis also holds conversations and case-check lockouts, so the cache may never grow
    into them (on main five ``/api/v1/tts`` requests of 28 MB each evicted a lockout): no clip
    over ``max_entry`` bytes is kept, at most ``max_total`` bytes are written per ``ttl``
    (so at most twice that is ever stored), and clips expire after ``ttl`` (a day).
    """

    name = "redis"

    def __init__(self, url: str, prefix: str = "civic:voice:", ttl_seconds: int = 24 * 3600,
                 max_entry: int = 2 * 1024 * 1024, max_total: int = 64 * 1024 * 1024) -> None:
        self._redis, self._errors = connect_redis(url, timeout=1.0)
        self._prefix = prefix
        self._ttl = ttl_seconds
        self.max_entry = max_entry
        self.max_total = max_total
        self._put = self._redis.register_script(_PUT)

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
        if len(clip.data) > self.max_entry:
            log_event("voice.cache.skipped", bytes=len(clip.data))
            return
        value = clip.mime.encode("ascii") + b"\n" + clip.data
        try:
            stored = self._put(keys=[self._prefix + key, self._prefix + "budget"],
                               args=[value, self._ttl * 1000, self.max_total])
        except self._errors as err:
            log_event("voice.cache.write_failed", error=type(err).__name__)
            return
        if not stored:
            log_event("voice.cache.full", bytes=len(clip.data))


def create_audio_cache(settings, prefix: str = "civic:voice:") -> AudioCache:  # type: ignore[no-untyped-def]
    """Redis when configured, else files under ``var_dir/voice-cache``; bounded either way."""
    if settings.redis_url:
        return RedisAudioCache(settings.redis_url, prefix=prefix, ttl_seconds=settings.tts_cache_ttl_seconds,
                               max_entry=settings.tts_cache_entry_bytes, max_total=settings.tts_cache_total_bytes)
    return DiskAudioCache(Path(settings.var_dir) / "voice-cache", max_entry=settings.tts_cache_entry_bytes,
                          max_total=4 * settings.tts_cache_total_bytes)
