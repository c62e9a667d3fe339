"""Rate limits per client and per subject: a fixed-window counter behind one small interface.

Every public endpoint is limited per client address (``assistant.gateway.edge``), and anything
that can be guessed or used up is limited per subject too: a staff login name, a case number, a
booking code. The counters must be shared by every gateway worker and the action server, so with
``CIVIC_REDIS_URL`` they live in Redis (one atomic script per hit); ``make run`` keeps them in
memory. Others use it in two lines::

    limiter = create_rate_limiter(settings.redis_url)
    check(limiter, f"booking:{code}", Rate(10, 3600))   # raises RateLimitedError (429)
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Dict, Optional, Protocol, Tuple

from assistant.errors import RateLimitedError, UnavailableError
from assistant.state import REDIS_UNAVAILABLE, connect_redis


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` hits per ``window`` seconds."""

    limit: int
    window: float

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window <= 0:
            raise ValueError(f"a rate needs limit >= 1 and window > 0, got {self.limit}/{self.window}")


@dataclass(frozen=True)
class Decision:
    """The answer to one hit: allowed or not, and when the window reopens."""

    allowed: bool
    count: int
    retry_after: float


class RateLimiter(Protocol):
    #: False when ``hit`` never blocks (memory), so async callers need no thread hop.
    blocking: bool

    def hit(self, key: str, rate: Rate) -> Decision: ...
    def reset(self, key: str) -> None: ...


class MemoryRateLimiter:
    """Windows in a dict, one process. Expired windows are dropped as new ones open, so a flood
    of distinct keys (one per spoofed subject) cannot grow it without bound."""

    blocking = False
    MAX_KEYS = 100_000

    def __init__(self, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self._windows: Dict[str, Tuple[int, float]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def hit(self, key: str, rate: Rate) -> Decision:
        now = self._clock()
        with self._lock:
            count, ends = self._windows.get(key, (0, 0.0))
            if ends <= now:
                if len(self._windows) >= self.MAX_KEYS:
                    self._prune(now)
                count, ends = 0, now + rate.window
            count += 1
            self._windows[key] = (count, ends)
        return Decision(count <= rate.limit, count, max(0.0, ends - now))

    def _prune(self, now: float) -> None:
        for stale in [k for k, (_, ends) in self._windows.items() if ends <= now]:
            del self._windows[stale]
        while len(self._windows) >= self.MAX_KEYS:  # all live: drop the oldest windows
            self._windows.pop(next(iter(self._windows)))

    def reset(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)


_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""


class RedisRateLimiter:
    """The same windows in Redis: one script per hit, so concurrent hits from several workers
    are counted exactly (twelve parallel guesses against a limit of five: five pass)."""

    blocking = True

    def __init__(self, redis_url: str, prefix: str = "civic:rl:") -> None:
        self._redis, self._errors = connect_redis(redis_url)
        self._prefix = prefix
        self._script = self._redis.register_script(_HIT)

    def hit(self, key: str, rate: Rate) -> Decision:
        try:
            count, ttl_ms = self._script(keys=[self._prefix + key], args=[int(rate.window * 1000)])
        except self._errors as err:
            raise UnavailableError(REDIS_UNAVAILABLE) from err  # no host:port
        return Decision(int(count) <= rate.limit, int(count), max(0.0, int(ttl_ms) / 1000))

    def reset(self, key: str) -> None:
        try:
            self._redis.delete(self._prefix + key)
        except self._errors as err:
            raise UnavailableError(REDIS_UNAVAILABLE) from err  # no host:port


def create_rate_limiter(redis_url: Optional[str], prefix: str = "civic:rl:") -> RateLimiter:
    """Redis when configured (shared by every worker and the action server), else memory."""
    if redis_url:
        return RedisRateLimiter(redis_url, prefix)
    return MemoryRateLimiter()


def check(limiter: RateLimiter, key: str, rate: Rate, what: str = "requests") -> Decision:
    """Count one hit of ``key``; RateLimitedError (429 at the HTTP edge) when over the rate."""
    decision = limiter.hit(key, rate)
    if not decision.allowed:
        raise RateLimitedError(f"too many {what}; try again in {math.ceil(decision.retry_after)} s",
                               retry_after=max(1.0, decision.retry_after))
    return decision
