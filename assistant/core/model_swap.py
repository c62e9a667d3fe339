"""A new model goes live in a running gateway, without a restart and without a failed turn.

``civic reload`` names the model to serve in a pointer file in ``CIVIC_VAR_DIR``
(:func:`assistant.core.model_store.publish_serving`). Every gateway process watches that file
(a ``stat`` and a short read every ``CIVIC_MODEL_CHECK_SECONDS``) and, when it names another
model, loads it beside the one serving and swaps (:meth:`InProcessRasa.swap`). Conversations live
in the tracker store (Redis in production), not in the model, so they carry on across the swap.

Why not gunicorn's ``HUP``: gunicorn stops the old workers as soon as it has forked the new ones,
and a new worker accepts nothing until its model is loaded (30 s on a quiet machine, minutes on a
busy one), so for that long nobody on the host answers. Here the old model answers until the new
one is warm.

The processes of one host load one at a time (a lock file in ``CIVIC_VAR_DIR``): a model load
takes a core for tens of seconds, and the other workers keep answering on the rest.
"""

from __future__ import annotations

import asyncio
import fcntl
import time
from pathlib import Path
from typing import Callable, Optional

from assistant.core.model_store import read_pointer
from assistant.core.rasa_backend import InProcessRasa, model_version
from assistant.logs import log_event


class ModelWatcher:
    """Swaps ``backend``'s model when the serving pointer in ``model_dir`` names another file.

    Args:
        backend: the in-process Rasa whose model is swapped.
        model_dir: the folder holding the models.
        pointer: the file naming the model to serve.
        lock_path: one model load at a time on this host.
        check_seconds: how often the pointer is read.
        on_swap: told the new model's version after each swap (readiness, metrics).
    """

    def __init__(self, backend: InProcessRasa, model_dir: Path, pointer: Path, lock_path: Path,
                 check_seconds: float,
                 on_swap: Callable[[str], None] = lambda version: None) -> None:
        self.backend = backend
        self.model_dir = model_dir
        self.pointer = pointer
        self.lock_path = lock_path
        self.check_seconds = check_seconds
        self.on_swap = on_swap
        self._failed: Optional[str] = None  # a model that would not load is not tried again

    def wanted(self) -> Optional[Path]:
        """The model the pointer names, when it differs from the one serving and exists."""
        named = read_pointer(self.pointer, self.model_dir)
        serving = self.backend.model_path
        if named is None or not named.is_file() or named.name == self._failed:
            return None
        return None if serving is not None and named.name == serving.name else named

    async def run(self) -> None:
        """Check forever (cancelled at shutdown); a swap runs on a thread of its own."""
        while True:
            await asyncio.sleep(self.check_seconds)
            target = self.wanted()
            if target is not None:
                await asyncio.to_thread(self.swap, target)

    def swap(self, target: Path) -> None:
        """Load ``target`` once this host's other processes have finished loading theirs."""
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "w") as lock:
            waited = time.monotonic()
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.wanted() != target:  # the pointer moved on while this process waited
                return
            started = time.monotonic()
            log_event("model.swap.start", model=target.name, waited_s=round(started - waited, 1))
            try:
                swapped = self.backend.swap(target)
            except Exception as err:  # a broken file: keep serving the old model, say so once
                self._failed = target.name
                log_event("model.swap.failed", model=target.name, error=type(err).__name__,
                          detail=str(err)[:300])
                return
        if swapped:
            version = model_version(target)
            self.on_swap(version)
            log_event("model.swap.done", model=target.name, seconds=round(time.monotonic() - started, 1))
