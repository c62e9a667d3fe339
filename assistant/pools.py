"""Bounded worker pools for heavy work, apart from the server's default thread pool.

Measured on main before this module: 45 concurrent ``POST /api/v1/stt`` took all 40 threads of
the shared thread pool (each waiting for the one recogniser), so every plain ``def`` route,
``/healthz`` included, waited minutes for a thread. Speech now runs on pools of its own with a
fixed number of threads and a short queue; when both are full the caller gets ``BusyError``
(503 with Retry-After) at once instead of a place in an endless line.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, AsyncIterator, Callable, Dict, Iterator, TypeVar

from assistant.errors import BusyError

T = TypeVar("T")
_END = object()


class WorkerPool:
    """``workers`` threads and at most ``queue`` waiting jobs; beyond that, ``BusyError``."""

    def __init__(self, name: str, workers: int, queue: int, retry_after: float = 5.0, nice: int = 0) -> None:
        if workers < 1 or queue < 0:
            raise ValueError(f"pool {name}: workers must be >= 1 and queue >= 0")
        self.name = name
        self.workers = workers
        self.capacity = workers + queue
        self.retry_after = retry_after
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"pool-{name}",
                                            initializer=lower_priority, initargs=(nice,))
        self._taken = 0
        self._lock = threading.Lock()

    @property
    def taken(self) -> int:
        return self._taken

    @property
    def queued(self) -> int:
        """Jobs waiting for a thread (the metrics' queue depth)."""
        return max(0, self._taken - self.workers)

    @property
    def full(self) -> bool:
        return self._taken >= self.capacity

    def _acquire(self) -> None:
        with self._lock:
            if self._taken >= self.capacity:
                raise BusyError(f"the {self.name} service is busy; try again shortly", self.retry_after)
            self._taken += 1

    def _release(self, *_: Any) -> None:
        with self._lock:
            self._taken -= 1

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` on the pool. The place is given back when the thread finishes, not when
        the caller stops waiting, so a client that hangs up cannot make room for more work."""
        self._acquire()
        try:
            future = self._executor.submit(functools.partial(fn, *args, **kwargs))
        except BaseException:
            self._release()
            raise
        future.add_done_callback(self._release)
        return await asyncio.wrap_future(future)

    def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        """``run`` for plain ``def`` routes: the work goes to the pool's threads (its priority,
        its bound) and this thread waits for it; BusyError when the pool is full."""
        self._acquire()
        try:
            future = self._executor.submit(functools.partial(fn, *args))
        except BaseException:
            self._release()
            raise
        future.add_done_callback(self._release)
        return future.result()

    def hold(self) -> "Place":
        """One place kept across several calls (an answer streamed piece by piece); BusyError
        when the pool is full. The caller releases it (``Place.stream`` does at its end)."""
        self._acquire()
        return Place(self)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def lower_priority(nice: int) -> None:
    """Lower this thread's CPU priority (Linux: per thread; the engines' own threads and the
    ffmpeg/espeak processes it starts inherit it), so the event loop and the Rasa thread get
    the cores first while speech computes. Raising niceness needs no privilege."""
    if nice <= 0:
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError):  # not Linux: the bound on places still holds
        pass


class Place:
    """A held place in a pool: run calls on its threads, release once."""

    def __init__(self, pool: WorkerPool) -> None:
        self._pool = pool
        self._held = True

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.wrap_future(self._pool._executor.submit(functools.partial(fn, *args)))

    async def stream(self, chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
        """Pull each chunk of a blocking iterator on the pool; the place is released at the end
        (or when the client hangs up and the generator is closed)."""
        try:
            while True:
                chunk = await self.call(next, chunks, _END)
                if chunk is _END:
                    return
                yield chunk
        finally:
            self.release()

    def release(self) -> None:
        if self._held:
            self._held = False
            self._pool._release()


def create_pools(settings) -> Dict[str, WorkerPool]:  # type: ignore[no-untyped-def]
    """The gateway's pools: speech recognition (decoding included), synthesis, password checks
    (a login flood measured 3 s chat p95 while scrypt ran on the shared pool), and quick
    blocking calls (Redis) that must not wait behind the default thread pool."""
    return {
        "speech": WorkerPool("speech recognition", settings.speech_workers, settings.speech_queue, nice=10),
        "tts": WorkerPool("speech synthesis", settings.tts_workers, settings.tts_queue, nice=10),
        "login": WorkerPool("staff login", 1, 4, retry_after=2.0, nice=10),  # scrypt: memory-hard, slow
        "io": WorkerPool("io", 8, 512, retry_after=1.0),
    }
