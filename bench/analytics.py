"""Benchmark of the demand analysis: wall time, events/second and peak memory (process tree
RSS) for synthetic logs of several sizes, Spark (local[2], whole job incl. FAQ clustering)
next to the same aggregations in pandas (no clustering).

    flock /tmp/cpu.lock .venv/bin/python bench/analytics.py --sizes 100000 1000000 5000000 \
        --data /tmp/civic-analytics-bench

Each measurement runs in its own process so memory peaks do not mix; the synthetic logs are
generated first and not timed, and with ``--data`` kept and reused by later runs. "job s" is
the analysis itself (``analyse``: every figure and the FAQ clustering); "wall s" adds the
interpreter and JVM start; events/s is over the job time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(c) for c in children.read().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measure(command: List[str]) -> Dict[str, float]:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.2)
    output = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        raise RuntimeError(f"{command} failed with {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    result.update(wall=time.perf_counter() - started, peak_mb=peak / 2**20)
    return result


def run_spark(logs: str, memory: str, partitions: int) -> None:
    from analytics.spark import session
    from analytics.spark_job import analyse

    begun = time.perf_counter()
    spark = session("local[2]", shuffle_partitions=partitions, driver_memory=memory)
    result = analyse(spark, logs)
    spark.stop()
    print(json.dumps({"events": result.events, "groups": len(result.groups), "job": result.seconds,
                      "total": time.perf_counter() - begun, "timings": result.timings}))


def run_pandas(logs: str) -> None:
    import pandas as pd

    begun = time.perf_counter()
    df = pd.read_parquet(logs)
    ts = df["ts"].dt.tz_convert("Asia/Shanghai")
    df["day"], df["hour"], df["dow"] = ts.dt.date, ts.dt.hour, ts.dt.dayofweek + 1
    daily = df.groupby(["day", "channel", "mode"]).agg(turns=("ts", "size"), conversations=("conversation_id", "nunique"))
    topics = df.groupby(["topic", "channel", "mode"]).agg(turns=("ts", "size"), conversations=("conversation_id", "nunique"))
    heat = df.groupby(["dow", "hour", "channel", "mode"]).size()
    rates = df.groupby(["channel", "mode"]).agg(turns=("ts", "size"), users=("user_hash", "nunique"),
                                                 fallback=("fallback", "mean"), handoff=("handoff", "mean"),
                                                 p95=("latency_ms", lambda s: s.quantile(0.95)))
    df = df.sort_values("ts")
    convs = df.groupby("conversation_id").agg(channel=("channel", "first"), mode=("mode", "first"),
                                               rating=("rating", "last"), fallback=("fallback", "any"),
                                               handoff=("handoff", "any"))
    by_channel = convs.groupby(["channel", "mode"]).agg(conversations=("rating", "size"), rating=("rating", "mean"))
    print(json.dumps({"events": len(df), "rows": len(daily) + len(topics) + len(heat) + len(rates) + len(by_channel),
                      "total": time.perf_counter() - begun}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--memory", default="3g", help="Spark driver memory")
    parser.add_argument("--shuffle-partitions", type=int, default=4, help="Spark shuffle partitions")
    parser.add_argument("--data", help="keep the synthetic logs here and reuse them (default: a temporary folder)")
    parser.add_argument("--only", choices=["spark", "pandas"])
    parser.add_argument("--one", choices=["spark", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--logs", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one == "spark":
        run_spark(args.logs, args.memory, args.shuffle_partitions)
        return 0
    if args.one == "pandas":
        run_pandas(args.logs)
        return 0
    from analytics.synth import synthesize

    print(f"{'events':>10} {'engine':>7} {'wall s':>8} {'job s':>7} {'events/s':>10} {'peak MB':>8}  notes", flush=True)
    with tempfile.TemporaryDirectory(prefix="civic-bench-") as scratch:
        folder = Path(args.data or scratch)
        for size in args.sizes:
            logs = folder / f"logs-{size}"
            marker = folder / f"logs-{size}.done"
            if not marker.exists():  # generated once, outside every timing
                synthesize(str(logs), size, args.days, date(2024, 12, 31))
                marker.write_text(f"{size} events over {args.days} days\n")
            for engine in ("spark", "pandas"):
                if args.only and engine != args.only:
                    continue
                result = measure([sys.executable, __file__, "--one", engine, "--logs", str(logs), "--memory",
                                  args.memory, "--shuffle-partitions", str(args.shuffle_partitions)])
                job = result["job"] if engine == "spark" else result["total"]
                note = (f"{result['groups']} FAQ groups; " + ", ".join(f"{k} {v:.1f}" for k, v in result["timings"].items())
                        if engine == "spark" else "same aggregations, no clustering")
                print(f"{size:>10} {engine:>7} {result['wall']:>8.1f} {job:>7.1f} {size / job:>10.0f} "
                      f"{result['peak_mb']:>8.0f}  {note}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
