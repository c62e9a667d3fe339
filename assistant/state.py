"""Small shared state with expiry: an in-memory and a Redis implementation behind one interface.

WeChat de-duplication, access tokens, lockouts and rate limits all need "set if absent", "count
with expiry" and "get/set with expiry". In one process memory is enough; with several workers
(``CIVIC_REDIS_URL``) it must be Redis, or each worker would keep its own truth.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Dict, Optional, Protocol, Tuple

from assistant.errors import UnavailableError


class KeyValueStore(Protocol):
    def get(self, key: str) -> Optional[str]: ...
    def set(self, key: str, value: str, ttl: Optional[float] = None) -> None: ...
    def set_if_absent(self, key: str, value: str, ttl: float) -> bool: ...
    def incr(self, key: str, ttl: float) -> int: ...
    def delete(self, key: str) -> None: ...
    def ping(self) -> Optional[str]: ...
    # A small map under one key, changed field by field, so concurrent writers never overwrite
    # each other (a read-modify-write of a JSON value loses one of two simultaneous changes).
    def hset(self, key: str, field: str, value: str, ttl: Optional[float] = None) -> None: ...
    def hgetall(self, key: str) -> Dict[str, str]: ...
    def hdel(self, key: str, field: str) -> None: ...


class MemoryStore:
    """Thread-safe dict with per-key expiry, for a single process.

    Expired keys are also dropped when nobody asks for them: every ``SWEEP_EVERY`` writes, one
    pass removes whatever has expired. Without it, keys written once and never read again (a
    de-duplication id, a failed-check counter of a number nobody tries again) stayed forever,
    and a stream of distinct keys grew the process without bound. Amortised, the sweep costs
    O(1) per write."""

    SWEEP_EVERY = 1024

    def __init__(self, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self._data: Dict[str, Tuple[Any, Optional[float]]] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._writes = 0

    def __len__(self) -> int:
        """Keys held, expired ones not yet swept included (for tests and monitoring)."""
        with self._lock:
            return len(self._data)

    def _wrote(self) -> None:
        """Count a write (lock held); sweep every ``SWEEP_EVERY`` writes, or every n/8 writes
        for a store of n keys (so a pass over n keys costs at most 8 steps per write)."""
        self._writes += 1
        if self._writes >= max(self.SWEEP_EVERY, len(self._data) // 8):
            self._writes = 0
            now = self._clock()
            for key in [k for k, (_, expires) in self._data.items() if expires is not None and expires <= now]:
                del self._data[key]

    def _live(self, key: str) -> Optional[str]:
        item = self._data.get(key)
        if item is None:
            return None
        value, expires = item
        if expires is not None and expires <= self._clock():
            del self._data[key]
            return None
        return value

    def get(self, key: str) -> Optional[str]:
        with self._lock:
            return self._live(key)

    def set(self, key: str, value: str, ttl: Optional[float] = None) -> None:
        with self._lock:
            self._data[key] = (value, self._clock() + ttl if ttl else None)
            self._wrote()

    def set_if_absent(self, key: str, value: str, ttl: float) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._data[key] = (value, self._clock() + ttl)
            self._wrote()
            return True

    def incr(self, key: str, ttl: float) -> int:
        with self._lock:
            current = self._live(key)
            if current is None:
                self._data[key] = ("1", self._clock() + ttl)
                self._wrote()
                return 1
            count = int(current) + 1
            self._data[key] = (str(count), self._data[key][1])
            return count

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def ping(self) -> Optional[str]:
        return None

    def hset(self, key: str, field: str, value: str, ttl: Optional[float] = None) -> None:
        with self._lock:
            current = self._live(key)
            mapping = dict(current) if isinstance(current, dict) else {}
            mapping[field] = value
            expires = self._clock() + ttl if ttl else (self._data[key][1] if current is not None else None)
            self._data[key] = (mapping, expires)
            self._wrote()

    def hgetall(self, key: str) -> Dict[str, str]:
        with self._lock:
            current = self._live(key)
            return dict(current) if isinstance(current, dict) else {}

    def hdel(self, key: str, field: str) -> None:
        with self._lock:
            current = self._live(key)
            if isinstance(current, dict):
                mapping = {k: v for k, v in current.items() if k != field}
                if mapping:
                    self._data[key] = (mapping, self._data[key][1])
                else:
                    del self._data[key]


#: What a Redis failure says, wherever it happens: the driver's text names the host and port.
REDIS_UNAVAILABLE = "the shared store (Redis) is unavailable"


def connect_redis(url: str, timeout: float = 2.0, decode_responses: bool = False):  # type: ignore[no-untyped-def]
    """One way to reach Redis for the store, the rate limiter and the speech cache: a checked
    URL, short timeouts (a dead Redis must not hold a request), and the errors to catch."""
    import redis

    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"CIVIC_REDIS_URL must be a redis:// URL, got {url!r}")
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                  decode_responses=decode_responses)
    return client, (redis.exceptions.RedisError, OSError)


class RedisStore:
    """The same operations on Redis, atomic across workers. Errors become UnavailableError."""

    def __init__(self, url: str, prefix: str = "civic:") -> None:
        self._redis, self._errors = connect_redis(url, decode_responses=True)
        self._prefix = prefix

    def _call(self, method: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return getattr(self._redis, method)(*args, **kwargs)
        except self._errors as err:
            raise UnavailableError(REDIS_UNAVAILABLE) from err  # no host:port

    def get(self, key: str) -> Optional[str]:
        return self._call("get", self._prefix + key)

    def set(self, key: str, value: str, ttl: Optional[float] = None) -> None:
        self._call("set", self._prefix + key, value, px=int(ttl * 1000) if ttl else None)

    def set_if_absent(self, key: str, value: str, ttl: float) -> bool:
        return bool(self._call("set", self._prefix + key, value, nx=True, px=int(ttl * 1000)))

    def incr(self, key: str, ttl: float) -> int:
        full = self._prefix + key
        try:
            pipe = self._redis.pipeline()
            pipe.incr(full)
            pipe.pexpire(full, int(ttl * 1000), nx=True)
            count, _ = pipe.execute()
        except self._errors as err:
            raise UnavailableError(REDIS_UNAVAILABLE) from err  # no host:port
        return int(count)

    def delete(self, key: str) -> None:
        self._call("delete", self._prefix + key)

    def hset(self, key: str, field: str, value: str, ttl: Optional[float] = None) -> None:
        full = self._prefix + key
        try:
            pipe = self._redis.pipeline()  # MULTI/EXEC: the field and the expiry together
            pipe.hset(full, field, value)
            if ttl:
                pipe.pexpire(full, int(ttl * 1000))
            pipe.execute()
        except self._errors as err:
            raise UnavailableError(f"Redis unavailable: {err}") from err

    def hgetall(self, key: str) -> Dict[str, str]:
        return dict(self._call("hgetall", self._prefix + key) or {})

    def hdel(self, key: str, field: str) -> None:
        self._call("hdel", self._prefix + key, field)

    def ping(self) -> Optional[str]:
        try:
            self._redis.ping()
            return None
        except self._errors as err:
            return f"Redis unreachable: {err}"

    @property
    def client(self):  # type: ignore[no-untyped-def]
        """The raw client, for adapters that need Redis itself (wechatpy's session storage)."""
        return self._redis


#: What lives only in Redis and must outlive a Redis restart (docs/operations.md): conversations
#: (Rasa's trackers), WeChat case-notification consents and replies kept for a closed window, staff
#: logouts. Everything else there is a cache or a short-lived counter.
DURABLE_IN_REDIS = "conversations, WeChat consents and kept replies, staff logouts"


def redis_persistence(client) -> str:  # type: ignore[no-untyped-def]
    """How Redis keeps its data across a restart: ``aof`` (append-only file), ``rdb`` (snapshots
    only: the writes since the last one are lost), ``off``, or ``unknown`` (a managed Redis that
    hides its CONFIG)."""
    import redis

    if int(client.info("persistence").get("aof_enabled", 0)):
        return "aof"
    try:
        save = client.config_get("save").get("save", "")
    except redis.exceptions.ResponseError:  # CONFIG renamed or disabled
        return "unknown"
    return "rdb" if str(save).strip() else "off"


def create_store(redis_url: Optional[str], prefix: str = "civic:") -> KeyValueStore:
    """Redis when configured, otherwise memory. A bad URL fails here, not on first use."""
    if redis_url:
        return RedisStore(redis_url, prefix)
    return MemoryStore()
