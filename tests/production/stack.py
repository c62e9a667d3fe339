"""Real processes for the reload test and the load benches: a fresh PostgreSQL database, the
action server, gateways (``civic serve``) and whatever else a caller starts, each with its log in
one folder, all stopped by :meth:`Stack.close` (also after a failure).

The benches (``bench/load.py``, ``bench/reload.py``) and ``tests/production/test_reload.py`` use
it, so the numbers and the test come from the same set-up.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import httpx

from assistant.settings import PROJECT_ROOT

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


def clean_env(**values: str) -> Dict[str, str]:
    """This environment without any ``CIVIC_`` setting of the caller's, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(values)
    return env


def create_database(prefix: str = "civic_stack") -> str:
    """A fresh, empty PostgreSQL database; its URL (drop it with :func:`drop_database`)."""
    from sqlalchemy import create_engine, text

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(url: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    finally:
        admin.dispose()


def wait_until(url: str, timeout: float, process: Optional[subprocess.Popen] = None, status: int = 200) -> None:
    """Until ``url`` answers ``status`` (``/readyz``: the model is loaded and the action server is up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process behind {url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=5).status_code == status:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer {status} within {timeout:.0f} s")


def stat_fields(pid: int) -> List[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (state, parent, ...: stat(5) from
    field 3 on); empty when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def parent_pid(pid: int) -> Optional[int]:
    fields = stat_fields(pid)
    return int(fields[1]) if fields else None


def tree_pids(pid: int) -> List[int]:
    """``pid`` and every process below it (gunicorn's master and its workers)."""
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = parent_pid(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def cpu_seconds(pids: List[int]) -> float:
    """CPU time (user + system) the processes ``pids`` have used so far, in seconds."""
    total = 0
    for pid in pids:
        fields = stat_fields(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return total / os.sysconf("SC_CLK_TCK")


class Stack:
    """Processes started for one run, each logging to ``folder/<name>.log``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: Dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: Sequence[str], env: Dict[str, str]) -> subprocess.Popen:
        with open(self.folder / f"{name}.log", "ab") as out:
            process = subprocess.Popen(list(command), cwd=PROJECT_ROOT, env=env, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process

    def civic(self, name: str, verb: str, env: Dict[str, str]) -> subprocess.Popen:
        """``civic <verb>`` (``actions``, ``serve``) as a process of this stack."""
        return self.start(name, [sys.executable, "-m", "assistant", verb], env)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def memory(self, name: str) -> List[float]:
        """RSS in MB of each process of ``name``'s tree (gunicorn: the master first, then workers)."""
        process = self.processes[name]
        return [rss_mb(pid) for pid in tree_pids(process.pid)]

    def cpu(self, name: str) -> float:
        """CPU seconds used so far by ``name``'s tree (gunicorn: the master and its workers)."""
        return cpu_seconds(tree_pids(self.processes[name].pid))

    def stop(self, name: str, timeout: float = 30) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)  # the whole session: gunicorn's workers too
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def close(self) -> None:
        for name in reversed(list(self.processes)):
            try:
                self.stop(name)
            except ProcessLookupError:
                pass


def model_pair(model_dir: Path, folder: Path) -> Optional[List[Path]]:
    """The trained model in ``model_dir`` and the same file under a second name (the "new" model
    of a swap), both linked into ``folder``; ``None`` when nothing is trained."""
    from assistant.core.model_store import current_model, latest_model

    trained = current_model(model_dir) or latest_model(model_dir)
    if trained is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    old, new = folder / trained.name, folder / f"civic-reload{uuid.uuid4().hex[:8]}.tar.gz"
    old.symlink_to(trained.resolve())
    new.symlink_to(trained.resolve())
    if (trained.parent / "embeddings").is_dir():  # the catalogue's vectors: computed once, not per run
        (folder / "embeddings").symlink_to((trained.parent / "embeddings").resolve())
    return [old, new]

