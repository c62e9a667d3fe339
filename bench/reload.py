"""No downtime, measured (issue 16): people keep talking while a new model is put in service
(``civic reload``) and while a changed catalogue is published (``civic catalogue import``).

    .venv/bin/python bench/reload.py               # 2 workers, 20 people (~6 min, mostly model loads)
    .venv/bin/python bench/reload.py --quick       # shorter phases (~4 min)

Set-up as ``bench/load.py`` (fresh PostgreSQL database with the demo data, Redis, the action
server, a fake WeChat API, ``civic serve`` with ``--workers``; mixed web, kiosk and encrypted
WeChat conversations from ``tests/dialogues/``, each person pausing ``--pause`` s). The "new"
model is the trained model under a second name: the mechanism is the same whatever the file holds.

Timeline: ``--before`` s of turns, then ``civic reload --model NEW``; the swap lasts until every
worker has logged ``model.swap.done``; ``--between`` s; then a changed matter is imported (its fee
goes from 50 to 80 yuan) and a probe asks for the fee every second until the answer says 80;
``--after`` s more. Printed: one table of turns, errors and p50/p95/p99 per phase (goal: 0 errors
in every phase), how long the swap and the catalogue change took, and the proof that
conversations continued: people who began on the old model ask a follow-up ("how much is it")
after the swap, and the answer is still about their matter.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Run, start_gateway  # noqa: E402
from bench.traffic import Record, Target, conversations, play, summary  # noqa: E402
from tests.catalogue.conftest import csv_bytes, row  # noqa: E402
from tests.production.stack import model_pair  # noqa: E402

CHANGED_MATTER = "海滩烧烤场地预约"
#: conversations begun before the swap and continued after it: (first turn, follow-up, topic)
PINNED = (("我要办护照", "要交多少钱", "passport"), ("how do I apply for a passport", "how much does it cost", "passport"))


def matter_csv(folder: Path, fee: str) -> Path:
    path = folder / f"catalogue-{fee}.csv"
    path.write_bytes(csv_bytes([row("T-LOAD-BEACH", CHANGED_MATTER, 实施主体="江州市文化广电旅游局",
                                    收费标准=f"每次{fee}元", 办理地点="江州市民中心E区E7号窗口")]))
    return path


GATEWAY_VAR = "gateway-var"  # the gateway's CIVIC_VAR_DIR, where `civic reload` writes the pointer


async def civic(run: Run, *words: str) -> None:
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "assistant", *words, cwd=ROOT,
                                                   env=run.env(GATEWAY_VAR, CIVIC_LOG_LEVEL="WARNING"),
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"civic {' '.join(words)} failed: {output.decode(errors='replace')[-500:]}")


async def chat(http: aiohttp.ClientSession, url: str, sender: str, text: str) -> Tuple[int, dict]:
    async with http.post(f"{url}/api/v1/chat", json={"sender": sender, "message": text}) as response:
        return response.status, (await response.json(content_type=None) if response.status == 200 else {})


async def begin_pinned(http: aiohttp.ClientSession, url: str) -> List[Tuple[str, str, str]]:
    """Conversations begun on the old model: (sender, follow-up, expected topic)."""
    begun = []
    for first, follow_up, topic in PINNED * 5:
        async with http.post(f"{url}/api/v1/session", skip_auto_headers=("Content-Type",)) as response:
            sender = (await response.json())["sender"]
        status, body = await chat(http, url, sender, first)
        if status == 200 and body.get("topic") == topic:
            begun.append((sender, follow_up, topic))
    return begun


async def fee_answer(http: aiohttp.ClientSession, url: str) -> str:
    """What a new conversation is told when it asks about the changed matter, then its fee."""
    async with http.post(f"{url}/api/v1/session", skip_auto_headers=("Content-Type",)) as response:
        sender = (await response.json())["sender"]
    await chat(http, url, sender, "我想在海滩上烧烤，场地要怎么申请")
    _, body = await chat(http, url, sender, "要交多少钱")
    return " ".join(r.get("text") or "" for r in body.get("replies", []))


async def catalogue_live(http: aiohttp.ClientSession, url: str, timeout: float = 180) -> Optional[float]:
    """Seconds until a new conversation asking the changed matter's fee is told 80 yuan."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if "80" in await fee_answer(http, url):
            return time.monotonic() - started
        await asyncio.sleep(1.0)
    return None


async def scenario(run: Run, target: Target, new_model: Path, workers: int, args: argparse.Namespace,
                   log: Path, memory: Callable[[], List[float]]) -> Dict[str, object]:
    marks: Dict[str, float] = {}
    record = Record()
    played = conversations()
    total = args.before + args.between + args.after + 600  # the swap's and the import's lengths are unknown
    people = asyncio.ensure_future(play(target, played, args.people, args.pause, total, record))
    result: Dict[str, object] = {"record": record, "marks": marks}
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        try:
            marks["start"] = time.perf_counter()
            result["fee_before"] = "50" in await fee_answer(http, target.url)  # the probe works before the change
            await asyncio.sleep(args.before)
            pinned = await begin_pinned(http, target.url)
            result["memory_before"] = memory()
            marks["swap"] = time.perf_counter()
            await civic(run, "reload", "--model", str(new_model))
            while log.read_text(errors="replace").count("model.swap.done") < workers:
                if time.perf_counter() - marks["swap"] > 900:
                    raise TimeoutError("the new model did not go live within 15 minutes")
                await asyncio.sleep(0.5)
            marks["swapped"] = time.perf_counter()
            kept = 0
            for sender, follow_up, topic in pinned:
                status, body = await chat(http, target.url, sender, follow_up)
                kept += status == 200 and body.get("topic") == topic
            result["pinned"], result["kept"] = len(pinned), kept
            await asyncio.sleep(args.between)
            marks["publish"] = time.perf_counter()
            await civic(run, "catalogue", "import", str(matter_csv(run.folder, "80")))
            result["catalogue_s"] = await catalogue_live(http, target.url)
            marks["published"] = time.perf_counter()
            await asyncio.sleep(args.after)
            marks["end"] = time.perf_counter()
            result["memory_after"] = memory()
        finally:
            people.cancel()
            try:
                await people
            except asyncio.CancelledError:
                pass
    return result


def report(result: Dict[str, object], workers: int) -> str:
    marks: Dict[str, float] = result["marks"]  # type: ignore[assignment]
    record: Record = result["record"]  # type: ignore[assignment]
    phases = [("before the swap", "start", "swap"), ("during the model swap", "swap", "swapped"),
              ("between", "swapped", "publish"), ("during the catalogue change", "publish", "published"),
              ("after", "published", "end"), ("whole run", "start", "end")]
    lines = ["| phase | seconds | turns | errors | p50 ms | p95 ms | p99 ms | max ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, a, b in phases:
        if a not in marks or b not in marks:
            continue
        seconds = marks[b] - marks[a]
        s = summary(record.between(marks[a], marks[b]), seconds)
        lines.append(f"| {label} | {seconds:.0f} | {s['turns']} | {s['errors']} | {s['p50']:.0f} | {s['p95']:.0f} | "
                     f"{s['p99']:.0f} | {s['max']:.0f} |")
    quiet = [("start", "swap"), ("swapped", "publish"), ("published", "end")]  # neither swap nor import
    if all(a in marks and b in marks for a, b in quiet):
        seconds = sum(marks[b] - marks[a] for a, b in quiet)
        s = summary([t for a, b in quiet for t in record.between(marks[a], marks[b])], seconds)
        lines.append(f"| outside both changes | {seconds:.0f} | {s['turns']} | {s['errors']} | {s['p50']:.0f} | "
                     f"{s['p95']:.0f} | {s['p99']:.0f} | {s['max']:.0f} |")
    whole = summary(record.between(marks.get("start", 0), marks.get("end", float("inf"))), 1)
    swap_s = marks["swapped"] - marks["swap"] if "swapped" in marks else float("nan")
    catalogue = result.get("catalogue_s")
    lines += ["",
              f"model swap: {swap_s:.0f} s from `civic reload` until all {workers} workers served the new model "
              "(one at a time)",
              f"catalogue change: the new fee answered {catalogue:.0f} s after `civic catalogue import`"
              if isinstance(catalogue, float) else "catalogue change: NOT seen within 180 s",
              f"(before the change the same question was answered with the old fee: "
              f"{'yes' if result.get('fee_before') else 'NO: the probe does not reach the matter'})",
              f"conversations begun on the old model and continued on the new: {result.get('kept', 0)} of "
              f"{result.get('pinned', 0)} still about their matter",
              "RSS MB per process (gunicorn master, workers), before the swap: "
              + " + ".join(f"{m:.0f}" for m in result.get("memory_before", []) if m > 1)
              + "; at the end: " + " + ".join(f"{m:.0f}" for m in result.get("memory_after", []) if m > 1),
              f"errors: {whole['errors']} {whole['error_kinds'] or ''} (goal 0); late WeChat answers: {whole['late']}"]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds each person waits after an answer")
    parser.add_argument("--before", type=float, default=30.0, help="seconds of turns before the swap")
    parser.add_argument("--between", type=float, default=20.0, help="seconds between the swap and the import")
    parser.add_argument("--after", type=float, default=20.0, help="seconds of turns after the catalogue change")
    parser.add_argument("--quick", action="store_true", help="10 s phases")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (logs)")
    args = parser.parse_args()
    if args.quick:
        args.before = args.between = args.after = 10.0
    if not (1 <= args.workers <= 8 and 1 <= args.people <= 500):
        parser.error("1-8 workers, 1-500 people")

    from assistant.core.model_store import SERVING_POINTER, publish_serving
    from assistant.settings import get_settings

    folder = Path(tempfile.mkdtemp(prefix="civic-reload-"))
    models = folder / "models"
    pair = model_pair(get_settings().model_dir, models)
    if pair is None:
        parser.error("no trained model (run `civic train`)")
    old, new = pair
    print(f"bench/reload.py: model {old.name}, swapped for the same file named {new.name}; {args.workers} "
          f"workers; {args.people} people pausing {args.pause:g} s (web, kiosk, WeChat encrypted); rate limits ON, "
          f"the load client exempted through CIVIC_RATE_LIMIT_EXEMPT only; {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}; logs in {folder}", flush=True)
    run = Run(folder, old)
    run.shared["CIVIC_LOG_LEVEL"] = "INFO"  # model.swap.done marks the end of the swap
    try:
        publish_serving(folder / GATEWAY_VAR / SERVING_POINTER, models, old)
        run.start_actions()
        asyncio.run(civic(run, "catalogue", "import", str(matter_csv(folder, "50"))))
        target, memory, _, _ = start_gateway(run, args.workers, var=GATEWAY_VAR)
        print("  gateway ready; warming up", flush=True)
        asyncio.run(play(target, conversations(), 2, 0.0, 10.0, Record()))
        result = asyncio.run(scenario(run, target, new, args.workers, args, folder / f"gateway-{args.workers}w.log",
                                   memory))
    finally:
        run.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    print(report(result, args.workers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
