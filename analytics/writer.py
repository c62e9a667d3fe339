"""Buffered, batched writer of turn records as date-partitioned Parquet.

Why this shape: a reply must never wait for a disk or an object store. ``add`` only appends to
an in-memory buffer under a lock; one background thread writes the buffer out every
``flush_seconds`` (or sooner when ``batch_size`` records wait) as one Parquet file per day,
``<root>/date=YYYY-MM-DD/part-<time>-<uuid>.parquet``, which Spark reads directly. ``close``
writes what is left, so a normal stop loses nothing.

Files are written under a hidden name (``.tmp-...``; Spark and pyarrow skip those) and then
moved into place, so a reader never sees half a file. If the target is unreachable, the batch
goes back into the buffer and is retried on the next flush; only when ``max_buffer`` records
pile up are the oldest dropped (and counted, and logged) instead of exhausting memory.
"""

from __future__ import annotations

import atexit
import threading
import time
import uuid
from collections import defaultdict
from typing import Any, Dict, List, Optional, Tuple

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from analytics.schema import PARTITION, TURN_SCHEMA, local_date
from assistant.logs import log_event


def open_filesystem(root: str) -> Tuple[pafs.FileSystem, str]:
    """(filesystem, path inside it) for a local folder or any URL pyarrow or fsspec knows
    (``s3://bucket/logs``, ``gs://...``, ``memory://...``)."""
    if "://" not in root or root.startswith("file://"):
        from pathlib import Path

        local = Path(root[len("file://"):] if root.startswith("file://") else root).resolve()
        return pafs.LocalFileSystem(), str(local)
    try:
        return pafs.FileSystem.from_uri(root)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        import fsspec
        from pyarrow.fs import FSSpecHandler, PyFileSystem

        fs, path = fsspec.core.url_to_fs(root)
        return PyFileSystem(FSSpecHandler(fs)), path


def write_partitioned(records: List[Dict[str, Any]], fs: pafs.FileSystem, base: str) -> List[str]:
    """Write records as one new Parquet file per local day; returns the paths written."""
    by_day: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_day[local_date(record["ts"])].append(record)
    written = []
    stamp = time.strftime("%Y%m%dT%H%M%S")
    for day, rows in sorted(by_day.items()):
        folder = f"{base}/{PARTITION}={day}"
        fs.create_dir(folder, recursive=True)
        name = f"part-{stamp}-{uuid.uuid4().hex[:12]}.parquet"
        table = pa.Table.from_pylist(rows, schema=TURN_SCHEMA)
        temporary = f"{folder}/.tmp-{name}"
        pq.write_table(table, temporary, filesystem=fs, compression="zstd")
        fs.move(temporary, f"{folder}/{name}")
        written.append(f"{folder}/{name}")
    return written


class LogWriter:
    """Thread-safe buffer of turn records with a background flusher (call :meth:`start`)."""

    def __init__(self, root: str, flush_seconds: float = 2.0, batch_size: int = 500,
                 max_buffer: int = 200_000) -> None:
        self.root = root
        self.flush_seconds = flush_seconds
        self.batch_size = batch_size
        self.max_buffer = max_buffer
        self.fs, self.base = open_filesystem(root)
        self.written = 0
        self.dropped = 0
        self.rejected = 0  # records no storage could ever take (see _storable)
        self._closed = False
        self.files: List[str] = []
        self._buffer: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()  # one writer of files at a time
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: Optional[threading.Thread] = None

    # --- producer side (any thread, never blocks on I/O) ----------------------------------------
    def add(self, record: Dict[str, Any]) -> None:
        with self._lock:
            self._buffer.append(record)
            full = len(self._buffer) >= self.batch_size
        if full:
            self._wake.set()

    def pending(self) -> int:
        with self._lock:
            return len(self._buffer)

    # --- consumer side ------------------------------------------------------------------------------
    def start(self) -> "LogWriter":
        if self._thread is None:
            atexit.register(self.close)
            self._thread = threading.Thread(target=self._run, name="analytics-log-writer", daemon=True)
            self._thread.start()
        return self

    def flush(self) -> int:
        """Write everything buffered now; returns how many records were written."""
        with self._flush_lock:
            with self._lock:
                batch, self._buffer = self._buffer, []
            if not batch:
                return 0
            batch = self._storable(batch)
            try:
                self.files.extend(write_partitioned(batch, self.fs, self.base))
            except Exception as err:  # storage down: keep the records for the next attempt
                self._requeue(batch)
                log_event("analytics.log.write_failed", error=type(err).__name__, pending=len(batch))
                return 0
            self.written += len(batch)
            return len(batch)

    def _storable(self, batch: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """The batch without records that can never be written (a value the schema cannot hold).

        Such a record used to go back into the buffer with the rest after every failed write, so
        one bad record stopped the log for good and everything after it was lost at shutdown.
        Checked in memory, apart from the storage, so a storage outage still keeps everything."""
        try:
            pa.Table.from_pylist(batch, schema=TURN_SCHEMA)
            return batch
        except (pa.ArrowException, TypeError, ValueError, KeyError, UnicodeError, AttributeError):
            pass
        good = []
        for record in batch:
            try:
                pa.Table.from_pylist([record], schema=TURN_SCHEMA)
                local_date(record["ts"])
                good.append(record)
            except (pa.ArrowException, TypeError, ValueError, KeyError, UnicodeError, AttributeError) as err:
                self.rejected += 1
                log_event("analytics.log.rejected", error=type(err).__name__)
        return good

    def close(self, timeout: float = 30.0) -> None:
        """Stop the flusher and write what is left (a normal shutdown loses nothing). Safe to call
        more than once: the gateway's lifespan calls it, and an exit hook calls it again in case
        the lifespan's shutdown never ran (a second signal, a crash in another shutdown step)."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.flush()
        log_event("analytics.log.closed", written=self.written, dropped=self.dropped,
                  rejected=self.rejected, pending=self.pending())

    def _requeue(self, batch: List[Dict[str, Any]]) -> None:
        with self._lock:
            self._buffer[:0] = batch
            excess = len(self._buffer) - self.max_buffer
            if excess > 0:
                del self._buffer[:excess]
                self.dropped += excess
                log_event("analytics.log.dropped", records=excess)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self.flush_seconds)
            self._wake.clear()
            if self._stopping.is_set():
                break
            self.flush()
