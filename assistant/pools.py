"""Bounded worker pools for heavy work, apart from the server's default thread pool.

Measured on main before this module: 45 concurrent ``POST /api/v1/stt`` took all 40 threads of
the shared thread pool (each waiting for the one recogniser), so every plain ``def`` route,
``/healthz`` included, waited minutes for a thread. Speech now runs on pools of its own with a
fixed number of threads and a short queue; when both are full the caller gets ``BusyError``
(503 with Retry-After) at once instead of a place in an endless line.

Speech recognition then runs on a :class:`ProcessPool`: threads bounded the work, but not the GIL
it held (one ``/healthz`` probe in 1,455 took 361 ms during 50 uploads, docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, AsyncIterator, Callable, Dict, Iterator, Optional, Tuple, TypeVar

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
        self._nice = nice
        self._executor = self._new_executor()
        self._taken = 0
        self._lock = threading.Lock()

    def _new_executor(self) -> Executor:
        return ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix=f"pool-{self.name}",
                                  initializer=lower_priority, initargs=(self._nice,))

    def _submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> "Future[T]":
        return self._executor.submit(functools.partial(fn, *args, **kwargs))

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
            future = self._submit(fn, *args, **kwargs)
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
            future = self._submit(fn, *args)
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


class ProcessPool(WorkerPool):
    """The same bound on places, over worker processes: CPU-heavy Python work that would hold
    the GIL of the server (speech recognition). ``fn`` and its arguments must pickle.

    Workers are started with ``spawn`` (a fork of a server with threads can inherit a held lock)
    and run ``initializer(*initargs)`` once, where they load what they keep (the model). A worker
    that dies (killed, out of memory) breaks a ``ProcessPoolExecutor`` for good: the pool starts
    a new one and the caller whose job was lost gets UnavailableError (503), not every caller
    after it.
    """

    def __init__(self, name: str, workers: int, queue: int, initializer: Optional[Callable[..., Any]] = None,
                 initargs: Tuple[Any, ...] = (), retry_after: float = 5.0) -> None:
        self._initializer, self._initargs = initializer, initargs
        super().__init__(name, workers, queue, retry_after)
        self._restart_lock = threading.Lock()

    def _new_executor(self) -> Executor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=self._initializer, initargs=self._initargs)

    def _submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> "Future[T]":
        executor = self._executor
        try:
            inner = executor.submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            inner = None
        outer: "Future[T]" = Future()

        def settle(done: Optional["Future[T]"]) -> None:
            if done is not None and done.cancelled():  # the pool is closing
                outer.cancel()
                return
            error = None if done is None else done.exception()
            if done is None or isinstance(error, BrokenProcessPool):
                self._restart(executor)
                outer.set_exception(BusyError(f"the {self.name} service restarted; try again", self.retry_after))
            elif error is not None:
                outer.set_exception(error)
            else:
                outer.set_result(done.result())

        if inner is None:
            settle(None)
        else:
            inner.add_done_callback(settle)
        return outer

    def _restart(self, broken: Executor) -> None:
        with self._restart_lock:
            if self._executor is broken:
                self._executor = self._new_executor()
                broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Wait for the worker processes to exit (an upload in flight finishes first): a process
        pool left behind leaks its queues' semaphores, which the resource tracker then reports."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def warm(self, fn: Callable[[], T]) -> "list[Future[T]]":
        """Start every worker now (each runs the initializer) by giving each a trivial job
        outside the bound; the futures say when and how each started."""
        return [self._submit(fn) for _ in range(self.workers)]


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
    """The gateway's pools: speech recognition (decoding included; worker processes, started
    when first used or warmed, each loading the model once), synthesis, password checks
    (a login flood measured 3 s chat p95 while scrypt ran on the shared pool), and quick
    blocking calls (Redis) that must not wait behind the default thread pool."""
    from assistant.voice import recognition  # the worker side: imported here, used in the workers

    model_dir = str(settings.var_dir / "models" / "whisper-base")
    return {
        "speech": ProcessPool("speech recognition", settings.speech_workers, settings.speech_queue,
                              initializer=recognition.start,
                              initargs=(model_dir, 10, settings.log_level, os.getpid())),
        "tts": WorkerPool("speech synthesis", settings.tts_workers, settings.tts_queue, nice=10),
        "login": WorkerPool("staff login", 1, 4, retry_after=2.0, nice=10),  # scrypt: memory-hard, slow
        "io": WorkerPool("io", 8, 512, retry_after=1.0),
    }
