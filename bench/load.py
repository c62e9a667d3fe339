"""Load, measured against the peer (issue 16): the gateway with 1, 2 and 4 workers, two gateway
hosts behind nginx, and Rasa's own server (``rasa run``, REST channel) with the same model and the
same action server, on the same conversations in the same run.

    .venv/bin/python bench/load.py                 # everything, 60 s per mode and target (~15 min)
    .venv/bin/python bench/load.py --quick         # 10 s per mode, to check it works (~7 min)
    .venv/bin/python bench/load.py --targets w1,rasa --seconds 30
    .venv/bin/python bench/load.py --targets w1,w1i,w2i --quick   # actions in the workers

``w1i`` and ``w2i`` are 1 and 2 workers that run the custom actions themselves
(``CIVIC_ACTIONS_IN_PROCESS``, ``assistant/core/inprocess_actions.py``) with no action server:
on 2 cores the shared action server took the cores the second worker needed (issue 16).

The people (``bench/traffic.py``) play the scripted conversations of ``tests/dialogues/``:
matters and their follow-ups, case-status checks, bookings, life events, elderly mode, in Chinese
and English, over the web chat, the kiosk and WeChat (encrypted); against ``rasa run`` the same
texts go through its REST channel. Two modes per target, one target at a time (each gets the
cores to itself):

* **paced**: 50 people at once, each pausing 3 s after every answer (about 15 turns/s);
  goal p95 < 300 ms with 0 errors;
* **saturation**: 16 people, no pauses; goals: throughput at least ``rasa run``'s (one gateway
  worker against the one ``rasa run`` process), and 2 workers at least 1.6x one worker.

Everything is real and fresh for the run: a new PostgreSQL database seeded with the demo cases
and slots, the machine's Redis (conversations, locks, limits), a fake WeChat API for the access
token and late answers. Rate limits stay on; the load client's address is exempted through
``CIVIC_RATE_LIMIT_EXEMPT`` only (every person comes from 127.0.0.1). Memory is the resident set
(RSS) of every process of the target, sampled at the end of its saturation run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.traffic import Played, Record, Target, conversations, play, summary  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.production.stack import (REDIS_URL, Stack, clean_env, cpu_seconds, create_database,  # noqa: E402
                                    drop_database, rss_mb, wait_until)
from tests.wechat.fake_wechat import FakeWeChat  # noqa: E402
from tests.wechat.sender import WeChatSender, aes_key  # noqa: E402

TARGETS = ("w1", "w2", "w4", "hosts2", "rasa", "w1i", "w2i", "w1i1")
LABELS = {"w1": "gateway, 1 worker", "w2": "gateway, 2 workers", "w4": "gateway, 4 workers",
          "hosts2": "2 hosts x 1 worker, nginx", "rasa": "rasa run (REST), peer",
          "w1i": "gateway, 1 worker, actions in process", "w2i": "gateway, 2 workers, actions in process",
          "w1i1": "gateway, 1 worker, actions in process, 1 model thread"}
#: targets that run the custom actions in their workers (they need no action server): workers,
#: and TensorFlow threads per worker (0: the cores shared out, ``CIVIC_MODEL_THREADS``' default)
IN_PROCESS = {"w1i": (1, 0), "w2i": (2, 0), "w1i1": (1, 1)}
#: (more, fewer): saturation throughput ratios to report, each against the 1.6x goal. ``w2i`` and
#: ``w1i1`` differ only in the number of workers: each worker has 1 model thread (2 cores, 2 workers)
SCALING = (("w2", "w1"), ("w2i", "w1i"), ("w2i", "w1i1"), ("w2i", "w1"))
START_TIMEOUT = 900  # seconds for a model to load on a busy machine


class Run:
    """What every target shares: the database, secrets, the action server, the fake WeChat."""

    def __init__(self, folder: Path, model: Path) -> None:
        self.folder, self.model = folder, model
        self.stack = Stack(folder)
        self.database_url = create_database("civic_load")
        self.token, self.aes = "load" + secrets.token_hex(6), aes_key()
        self.fake = FakeWeChat("wxload" + secrets.token_hex(5), "load-" + secrets.token_hex(8))
        self.fake.start(free_port())
        self.action_port = free_port()
        self.shared = dict(CIVIC_SESSION_SECRET=secrets.token_urlsafe(40), CIVIC_ACTION_TOKEN=secrets.token_urlsafe(40),
                           CIVIC_ID_SALT=secrets.token_urlsafe(24), CIVIC_ENVIRONMENT="test",
                           CIVIC_MODEL_DIR=str(model.parent), CIVIC_STT_ENABLED="false", CIVIC_LOG_LEVEL="WARNING",
                           CIVIC_RATE_LIMIT_EXEMPT="127.0.0.1",  # the load client; the limits stay on
                           CIVIC_WECHAT_TOKEN=self.token, CIVIC_WECHAT_AES_KEY=self.aes,
                           CIVIC_WECHAT_APP_ID=self.fake.app_id, CIVIC_WECHAT_APP_SECRET=self.fake.secret)

    def env(self, var: str, **values: str) -> Dict[str, str]:
        return clean_env(**{**self.shared, "CIVIC_VAR_DIR": str(self.folder / var),
                            "CIVIC_DATABASE_URL": self.database_url, "CIVIC_REDIS_URL": REDIS_URL,
                            "CIVIC_WECHAT_API_BASE": self.fake.url, "CIVIC_ACTION_PORT": str(self.action_port),
                            **values})

    def start_actions(self) -> None:
        process = self.stack.civic("actions", "actions", self.env("actions"))
        wait_until(f"http://127.0.0.1:{self.action_port}/health", START_TIMEOUT, process)

    def seed(self) -> None:
        """The demo cases, slots and imported matters the conversations ask about."""
        import subprocess

        code = ("from assistant.settings import get_settings; import knowledge.seed_demo as d, "
                "knowledge.catalogue_import.seed as c; s = get_settings(); d.seed(s); c.seed(s)")
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=self.env("seed"), check=True,
                       capture_output=True, timeout=600)

    def wechat(self) -> WeChatSender:
        return WeChatSender(self.token, self.aes, self.fake.app_id)

    def close(self) -> None:
        self.stack.close()
        self.fake.stop()
        drop_database(self.database_url)


def start_gateway(run: Run, workers: int, var: str = "", in_process: bool = False, threads: int = 0) -> tuple:
    """``civic serve`` with ``workers``; ``in_process``: the workers run the actions themselves
    (and an action URL where nothing listens, so a call that still went out would fail);
    ``threads``: TensorFlow threads per worker (0: the setting's default)."""
    port = free_port()
    name = f"gateway-{workers}w" + ("-inproc" if in_process else "") + (f"-{threads}t" if threads else "")
    extra = dict(CIVIC_ACTIONS_IN_PROCESS="true", CIVIC_ACTION_URL=f"http://127.0.0.1:{free_port()}/webhook") \
        if in_process else {}
    if threads:
        extra["CIVIC_MODEL_THREADS"] = str(threads)
    process = run.stack.civic(name, "serve", run.env(var or name, CIVIC_PORT=str(port), CIVIC_WORKERS=str(workers),
                                                     **extra))
    url = f"http://127.0.0.1:{port}"
    wait_until(f"{url}/readyz", START_TIMEOUT, process)
    return (Target(url, wechat=run.wechat()), lambda: run.stack.memory(name), lambda: run.stack.stop(name),
            lambda: run.stack.cpu(name))


def start_rasa(run: Run) -> tuple:
    """``rasa run`` as a Rasa user would run it: the REST channel, Redis for trackers and locks,
    our action server (with its token), the same model file."""
    port = free_port()
    endpoints = run.folder / "rasa-endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{run.action_port}/webhook\n"
        f"  headers:\n    Authorization: Bearer {run.shared['CIVIC_ACTION_TOKEN']}\n"
        "tracker_store:\n  type: redis\n  url: 127.0.0.1\n  port: 6379\n  db: 0\n  key_prefix: rasapeer\n"
        "  record_exp: 604800\n"
        "lock_store:\n  type: redis\n  url: 127.0.0.1\n  port: 6379\n  db: 0\n  key_prefix: rasapeer\n")
    env = clean_env(RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    process = run.stack.start("rasa", [sys.executable, "-m", "rasa", "run", "--model", str(run.model),
                                       "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml"),
                                       "--port", str(port), "--interface", "127.0.0.1"], env)
    wait_until(f"http://127.0.0.1:{port}/webhooks/rest/", START_TIMEOUT, process)
    return (Target(f"http://127.0.0.1:{port}", rest=True), lambda: run.stack.memory("rasa"),
            lambda: run.stack.stop("rasa"), lambda: run.stack.cpu("rasa"))


def start_two_hosts(run: Run) -> tuple:
    """Two namespaces behind nginx (``tests/production/lab.py``, the multi-host test's set-up)."""
    from tests.production.lab import Lab, netns_problem

    problem = netns_problem()
    if problem:
        raise RuntimeError(problem)
    folder = run.folder / "lab"
    folder.mkdir()
    folder.chmod(0o755)
    lab = Lab(folder)
    lab.build_bridge()
    addresses = {name: lab.add_host(name) for name in ("a", "b")}
    lab.relay(6379, "127.0.0.1:6379")
    lab.relay(5432, "127.0.0.1:5432")
    fake_port = int(run.fake.url.rsplit(":", 1)[1].split("/")[0])
    lab.relay(fake_port, f"127.0.0.1:{fake_port}")
    lb_port, actions_lb_port = free_port(), free_port()
    lab.start_nginx(gateways=[f"{a}:8000" for a in addresses.values()], actions=[f"127.0.0.1:{run.action_port}"],
                    listen=f"127.0.0.1:{lb_port}", internal_listen=f"{lab.bridge_ip}:{actions_lb_port}")
    for name, address in addresses.items():
        env = run.env(f"host-{name}", CIVIC_HOST=address, CIVIC_PORT="8000", CIVIC_WORKERS="1", CIVIC_HOSTS="2",
                      CIVIC_REDIS_URL=f"redis://{lab.bridge_ip}:6379/0",
                      CIVIC_DATABASE_URL=run.database_url.replace("127.0.0.1", lab.bridge_ip),
                      CIVIC_ACTION_URL=f"http://{lab.bridge_ip}:{actions_lb_port}/webhook",
                      CIVIC_WECHAT_API_BASE=run.fake.url.replace("127.0.0.1", lab.bridge_ip),
                      CIVIC_TRUSTED_PROXIES=lab.bridge_ip)
        lab.start_in(name, [sys.executable, "-m", "assistant", "serve"], env, folder / f"host-{name}.log")
    try:
        for address in addresses.values():
            wait_until(f"http://{address}:8000/readyz", START_TIMEOUT)
    except BaseException:
        lab.close()
        raise
    return (Target(f"http://127.0.0.1:{lb_port}", wechat=run.wechat()),
            lambda: [lab.resident_mb(name) for name in addresses], lab.close,
            lambda: cpu_seconds([pid for name in addresses for pid in lab.pids(name)]))


def measure(name: str, starter: Callable[[], tuple], played: List[Played], args: argparse.Namespace,
            rows: List[dict]) -> None:
    started = time.monotonic()
    try:
        target, memory, stop, cpu = starter()
    except Exception as err:
        print(f"  {name}: not measured: {type(err).__name__}: {str(err)[:200]}", flush=True)
        rows.append({"target": name, "mode": "-", "skipped": f"{type(err).__name__}: {str(err)[:80]}"})
        return
    print(f"  {name}: ready in {time.monotonic() - started:.0f} s", flush=True)
    try:
        record = Record()  # warm-up, every worker: the first turns of a new process trace TensorFlow's graphs
        asyncio.run(play(target, played, 8, 0.0, args.warmup, record))
        for mode, people, pause in (("paced", args.people, args.pause), ("saturation", args.saturation_people, 0.0)):
            record, used = Record(), cpu()
            asyncio.run(play(target, played, people, pause, args.seconds, record, start_at=len(rows) * 7))
            row = summary(record.turns, args.seconds)
            row.update(target=name, mode=mode, people=people, cores=(cpu() - used) / args.seconds)
            if mode == "saturation":
                row["memory"] = memory()
            rows.append(row)
            print(f"  {name} {mode}: {row['rate']:.1f} turns/s, p95 {row['p95']:.0f} ms, {row['cores']:.2f} cores, "
                  f"errors {row['errors']} {row['error_kinds'] or ''}", flush=True)
    finally:
        stop()


def table(rows: List[dict], args: argparse.Namespace) -> str:
    header = ("| target | mode | people | turns | turns/s | p50 ms | p95 ms | p99 ms | errors | late WeChat | "
              "cores used | RSS MB per process |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    lines = [header]
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {LABELS[r['target']]} | not measured: {r['skipped']} | | | | | | | | | | |")
            continue
        memory = " + ".join(f"{m:.0f}" for m in r.get("memory", []) if m > 1) if r.get("memory") else ""
        lines.append(f"| {LABELS[r['target']]} | {r['mode']} | {r['people']} | {r['turns']} | {r['rate']:.1f} | "
                     f"{r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} | {r['late']} | "
                     f"{r['cores']:.2f} | {memory} |")
    return "\n".join(lines)


def goals(rows: List[dict]) -> List[str]:
    found = {(r["target"], r["mode"]): r for r in rows if "skipped" not in r}
    said = []
    for (target, mode), r in found.items():
        if mode == "paced" and target != "rasa":
            met = r["p95"] < 300 and r["errors"] == 0
            said.append(f"paced, {LABELS[target]}: p95 {r['p95']:.0f} ms, {r['errors']} errors -> "
                        f"{'met' if met else 'NOT met'} (p95 < 300 ms, 0 errors)")
    one, peer = (found.get((t, "saturation")) for t in ("w1", "rasa"))
    if one and peer:
        ratio = one["rate"] / peer["rate"]
        said.append(f"saturation, 1 worker vs rasa run: {one['rate']:.1f} / {peer['rate']:.1f} turns/s = "
                    f"{ratio:.2f}x -> {'met' if ratio >= 1.0 else 'NOT met'} (>= 1.0)")
    for more, fewer in SCALING:
        high, low = found.get((more, "saturation")), found.get((fewer, "saturation"))
        if high and low:
            ratio = high["rate"] / low["rate"]
            said.append(f"saturation, {LABELS[more]} vs {LABELS[fewer]}: {high['rate']:.1f} / {low['rate']:.1f} "
                        f"turns/s = {ratio:.2f}x -> {'met' if ratio >= 1.6 else 'NOT met'} (>= 1.6)")
    return said


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0, help="measured seconds per mode and target")
    parser.add_argument("--quick", action="store_true", help="10 s per mode, 5 s warm-up: checks it works")
    parser.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated, of {','.join(TARGETS)}")
    parser.add_argument("--people", type=int, default=50, help="paced: people at once")
    parser.add_argument("--pause", type=float, default=3.0, help="paced: seconds each person waits after an answer")
    parser.add_argument("--saturation-people", type=int, default=16, help="saturation: people at once, no pauses")
    parser.add_argument("--warmup", type=float, default=15.0, help="seconds of turns before measuring, not counted")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (logs)")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.warmup = 10.0, 5.0
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown or not (0 < args.seconds <= 1800 and 1 <= args.people <= 500):
        parser.error(f"unknown targets {unknown} or out-of-range numbers")

    from assistant.core.model_store import current_model, latest_model
    from assistant.settings import get_settings

    model_dir = get_settings().model_dir
    model = current_model(model_dir) or latest_model(model_dir)
    if model is None:
        parser.error(f"no trained model in {model_dir} (run `civic train`)")
    played = conversations()
    channels = {c: sum(1 for p in played if p.channel == c) for c in ("web", "kiosk", "wechat")}
    folder = Path(tempfile.mkdtemp(prefix="civic-load-"))
    print(f"bench/load.py: model {model.name}; {len(played)} conversations, {sum(len(p.texts) for p in played)} "
          f"turns (web {channels['web']}, kiosk {channels['kiosk']}, WeChat encrypted {channels['wechat']}; "
          f"rasa run: all through REST); {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}\n"
          f"rate limits ON; the load client (127.0.0.1) exempted through CIVIC_RATE_LIMIT_EXEMPT only\n"
          f"{args.seconds:g} s per mode after {args.warmup:g} s warm-up; paced {args.people} people, "
          f"{args.pause:g} s pause; saturation {args.saturation_people} people, no pause; logs in {folder}", flush=True)
    run = Run(folder, model)
    rows: List[dict] = []
    starters: Dict[str, Callable[[], tuple]] = {
        "w1": lambda: start_gateway(run, 1), "w2": lambda: start_gateway(run, 2), "w4": lambda: start_gateway(run, 4),
        "hosts2": lambda: start_two_hosts(run), "rasa": lambda: start_rasa(run),
        **{name: (lambda n=n, t=t: start_gateway(run, n, in_process=True, threads=t))
           for name, (n, t) in IN_PROCESS.items()}}
    actions_mb = 0.0
    try:
        run.seed()
        if any(t not in IN_PROCESS for t in targets):  # the in-process targets call no action server
            run.start_actions()
        for name in targets:
            measure(name, starters[name], played, args, rows)
        if "actions" in run.stack.processes:
            actions_mb = rss_mb(run.stack.processes["actions"].pid)
    finally:
        run.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\nload after the run {os.getloadavg()[0]:.2f}; action server (shared) RSS {actions_mb:.0f} MB\n")
    print(table(rows, args))
    print()
    for line in goals(rows):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
