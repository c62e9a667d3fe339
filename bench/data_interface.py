"""Benchmark of the data interface: bulk upserts through HTTP (a real uvicorn gateway) on SQLite
and PostgreSQL, and case-status lookups per second.

    .venv/bin/python -m bench.data_interface                 # 100k records, both databases
    .venv/bin/python -m bench.data_interface --records 20000 --databases sqlite

For each database: a fresh database, a gateway process (``civic serve``, no model needed: the
chat part is not measured), then ``--records`` new cases pushed in batches of ``--batch``,
the same cases pushed again with a status change (updates with history), and lookups: the
owning department's ``GET /api/v1/data/cases/{n}`` over HTTP from several client threads, and
the chat's check (``knowledge.case_check.check_case``: case number + last four digits) in process.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, List

import httpx

PROJECT_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"  # several workers share rate limits and logouts through it
TOKEN = "bench-token"
DEPARTMENT = "bench_dept"


def records(count: int, prefix: str, status: str = "received", day: int = 6) -> List[Dict[str, str]]:
    return [{
        "case_number": f"{prefix}{i:010d}", "matter": "passport", "department": DEPARTMENT,
        "applicant_name": "测试用户", "phone": f"138{i % 100000000:08d}", "status": status,
        "submitted_at": "2024-05-06T09:30:00+08:00", "updated_at": f"2024-05-{day:02d}T10:00:00+08:00",
        "note": "",
    } for i in range(count)]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gateway(database_url: str, workdir: Path, workers: int) -> tuple:
    if workers > 1 and not database_url.startswith("postgresql"):
        workers = 1  # several workers share one truth only through PostgreSQL and Redis (README, Production)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(CIVIC_DATABASE_URL=database_url, CIVIC_DATA_TOKENS=f"{DEPARTMENT}:{TOKEN}",
               CIVIC_PORT=str(port), CIVIC_VAR_DIR=str(workdir), CIVIC_MODEL_DIR=str(workdir / "no-model"),
               CIVIC_LOG_LEVEL="WARNING", CIVIC_WORKERS=str(workers),
               CIVIC_REDIS_URL=REDIS_URL if workers > 1 else "",
               # no voice warm-up: loading the speech models would take the cores while the
               # pushes are measured (this gateway serves no voice)
               CIVIC_ENVIRONMENT="test")
    process = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gateway did not start")


def push_all(base: str, rows: List[dict], batch: int) -> float:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    started = time.perf_counter()
    with httpx.Client(timeout=120) as client:
        for start in range(0, len(rows), batch):
            answer = client.post(f"{base}/api/v1/data/cases", json=rows[start:start + batch], headers=headers)
            answer.raise_for_status()
            body = answer.json()
            if body["rejected"]:
                raise RuntimeError(f"rejections: {body['rejections'][:3]}")
    return len(rows) / (time.perf_counter() - started)


WRK_SCRIPT = """
math.randomseed(os.time())
request = function()
  local path = string.format("/api/v1/data/cases/%s%%010d", math.random(0, %d))
  return wrk.format("GET", path, {["Authorization"] = "Bearer %s"})
end
"""


def http_lookups(base: str, prefix: str, count: int, seconds: float, threads: int) -> float:
    """Lookups/s from wrk (a C load generator: Python client threads would take the cores the
    gateway is being measured on); Python threads when wrk is not installed."""
    if shutil.which("wrk") is None:
        print("  (wrk not installed - `apt-get install wrk`; measuring with Python threads, which "
              "compete with the gateway for the cores)", file=sys.stderr)
        return python_lookups(base, [f"{prefix}{i:010d}" for i in range(count)], seconds, threads)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % (prefix, count - 1, TOKEN))
        script.flush()
        output = subprocess.run(
            ["wrk", "-t1", f"-c{threads}", f"-d{int(seconds)}s", "-s", script.name, base],
            capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"lookups failed:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def per_second(threads: int, seconds: float, step: Callable[[random.Random], None]) -> float:
    """Operations a second: ``threads`` threads each calling ``step`` until the time is up."""
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        rng = random.Random(index)
        while time.monotonic() < stop:
            step(rng)
            counts[index] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


def python_lookups(base: str, numbers: List[str], seconds: float, threads: int) -> float:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    clients = threading.local()

    def step(rng: random.Random) -> None:
        if not hasattr(clients, "client"):
            clients.client = httpx.Client(timeout=30)
        answer = clients.client.get(f"{base}/api/v1/data/cases/{rng.choice(numbers)}", headers=headers)
        if answer.status_code != 200:
            raise RuntimeError(answer.text)

    return per_second(threads, seconds, step)


def check_lookups(database_url: str, numbers: List[str], seconds: float, threads: int) -> float:
    """The chat's check (lockout rows + verified lookup), from ``threads`` threads as the
    action server runs it."""
    from knowledge.case_check import check_case
    from knowledge.db import make_engine, make_sessionmaker

    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)

    def step(rng: random.Random) -> None:
        number = rng.choice(numbers)
        digits = f"{int(number[-10:]) % 100000000:08d}"[-4:]
        if check_case(sessions, number, digits, who="bench").result != "ok":
            raise RuntimeError(f"check failed for {number}")

    try:
        return per_second(threads, seconds, step)
    finally:
        engine.dispose()


def fresh_database(kind: str, workdir: Path) -> tuple:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}", None
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    name = f"civic_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"postgresql://postgres@127.0.0.1:5432/{name}", drop


def run(kind: str, count: int, batch: int, workers: int, threads: int, check_threads: int,
        seconds: float) -> Dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url, drop = fresh_database(kind, workdir)
        process, base = start_gateway(url, workdir, workers)
        try:
            rows = records(count, "BN")
            created = push_all(base, rows, batch)
            updated = push_all(base, records(count, "BN", status="under_review", day=7), batch)
            numbers = [r["case_number"] for r in rows]
            http = http_lookups(base, "BN", count, seconds, threads)
        finally:
            process.terminate()
            process.wait(timeout=30)
        try:
            checks = check_lookups(url, numbers, seconds, check_threads)
        finally:
            if drop:
                drop()
    return {"created/s": created, "updated/s": updated, "GET lookups/s": http, "chat checks/s": checks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2, help="gateway worker processes")
    parser.add_argument("--threads", type=int, default=8,
                        help="concurrent HTTP clients for the GET lookups (wrk connections)")
    parser.add_argument("--check-threads", type=int, default=2,
                        help="threads running the chat's check in process (more only fight over the GIL)")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each lookup test")
    args = parser.parse_args()
    print(f"{args.records} records in batches of {args.batch}, {args.workers} gateway worker(s)")
    print(f"{'database':<11} {'created/s':>10} {'updated/s':>10} {'GET lookups/s':>14} {'chat checks/s':>14}")
    for kind in args.databases.split(","):
        result = run(kind.strip(), args.records, args.batch, args.workers, args.threads, args.check_threads,
                     args.seconds)
        print(f"{kind:<11} " + " ".join(f"{result[k]:>{w}.0f}" for k, w in
                                        (("created/s", 10), ("updated/s", 10), ("GET lookups/s", 14),
                                         ("chat checks/s", 14))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
