"""Several gateway workers, one set of metrics: prometheus-client's multiprocess mode.

Each worker writes its values to files in one folder (``CIVIC_VAR_DIR/metrics``), and the worker
that answers a scrape adds them all up. The library reads that folder from
``PROMETHEUS_MULTIPROC_DIR`` when it is first imported, so the process that starts the workers
sets it (and empties the folder of an earlier run, whose counts would otherwise be added to this
one's) before any worker exists: ``civic serve`` calls :func:`prepare_worker_metrics`; under
gunicorn its ``on_starting`` hook may do the same, and ``child_exit`` may call
:func:`worker_exited` so a worker that died takes its gauges out of the sums.

Nothing here imports prometheus-client at import time, for that reason.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from assistant.settings import Settings


def prepare_worker_metrics(settings: Settings) -> Optional[Path]:
    """Empty and announce the metrics folder when there are several workers; returns it (or ``None``)."""
    folder = settings.metrics_multiprocess_dir
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)  # inherited by the workers (and across exec)
    return folder


def worker_exited(settings: Settings, pid: int) -> None:
    """A worker is gone (a crash included): its queue-depth gauges leave the sums; counts stay."""
    folder = settings.metrics_multiprocess_dir
    if folder is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid, str(folder))
