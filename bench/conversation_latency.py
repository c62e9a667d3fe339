"""Per-turn latency of real multi-turn conversations through the chat API, paced and saturated.

    .venv/bin/python bench/conversation_latency.py --seconds 60
    .venv/bin/python bench/conversation_latency.py --url http://127.0.0.1:8000 --seconds 30

Starts the action server and one gateway worker as real processes on free loopback ports (unless
``--url`` is given). Simulated people each get a sender id (``POST /api/v1/session``), then play
the scripted conversations of ``tests/dialogues/`` one after another through ``POST /api/v1/chat``
(each turn's ``say``, plus ``mode`` in elderly conversations).

Warm-up: one person plays for 15 s, not counted (the first turns after start-up take seconds).
Phase 1 (paced): 20 people at once, each pausing 2 s after every reply (about 10 turns/s in all),
for ``--seconds`` after a warm-up; prints the achieved turns/s and p50/p95/p99/max per turn.
Goal (issue 14): p95 under 300 ms on 2 cores.
Phase 2 (saturation): no pauses, 4, 8 and 16 people for ``--level-seconds`` each; prints turns/s
and p50/p95 per level. The saturation throughput is the best turns/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.core.model_store import ensure_model  # noqa: E402
from assistant.settings import get_settings  # noqa: E402
from tests.conftest import free_port, wait_for_http  # noqa: E402
from tests.dialogues import script  # noqa: E402

REQUEST_TIMEOUT = 30.0  # seconds; a turn slower than this counts as an error


def percentile(values: List[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def turns_in_order(conversations: Sequence[script.Conversation], seed: int = 14) -> List[List[dict]]:
    """Every conversation as its list of chat payloads (without the sender), in a fixed shuffled
    order so that languages, modes and topics are mixed along each person's way."""
    shuffled = list(conversations)
    random.Random(seed).shuffle(shuffled)
    played = []
    for conversation in shuffled:
        payloads = []
        for turn in conversation.turns:
            payload = {"message": turn.say}
            if conversation.mode != "standard":
                payload["mode"] = conversation.mode
            payloads.append(payload)
        played.append(payloads)
    return played


async def run_phase(url: str, conversations: List[List[dict]], people: int, pause: float,
                    warmup: float, seconds: float) -> dict:
    """``people`` concurrent people for ``warmup + seconds``; turns that start inside the
    measured window count. Each person finishes the turn in flight, then stops."""
    import aiohttp  # a lighter client than httpx: the client shares the 2 cores with the server

    latencies: List[float] = []
    statuses: Dict[str, int] = {}
    connector = aiohttp.TCPConnector(limit=people)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(url, connector=connector, timeout=timeout) as client:
        begin = time.perf_counter()
        window_start, window_end = begin + warmup, begin + warmup + seconds

        async def person(index: int) -> None:
            if pause:
                await asyncio.sleep(random.Random(index).uniform(0, pause))  # do not start in step
            # no body: without this aiohttp adds Content-Type: application/octet-stream -> 415
            async with client.post("/api/v1/session", skip_auto_headers=("Content-Type",)) as response:
                response.raise_for_status()
                sender = (await response.json())["sender"]
            position = index * len(conversations) // people  # people start at different places
            while time.perf_counter() < window_end:
                for payload in conversations[position % len(conversations)]:
                    started = time.perf_counter()
                    if started >= window_end:
                        return
                    try:
                        async with client.post("/api/v1/chat", json=dict(payload, sender=sender)) as response:
                            await response.read()
                            status = str(response.status)
                    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                        status = type(error).__name__
                    elapsed = time.perf_counter() - started
                    if started >= window_start:
                        statuses[status] = statuses.get(status, 0) + 1
                        if status == "200":
                            latencies.append(elapsed)
                    if pause:
                        await asyncio.sleep(pause)
                position += 1

        await asyncio.gather(*(person(i) for i in range(people)))
    count = sum(statuses.values())
    return {"people": people, "count": count, "rate": count / seconds,
            "p50": percentile(latencies, 0.50) * 1000, "p95": percentile(latencies, 0.95) * 1000,
            "p99": percentile(latencies, 0.99) * 1000, "max": max(latencies, default=float("nan")) * 1000,
            "errors": {k: v for k, v in statuses.items() if k != "200"}}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running gateway; default: start one")
    parser.add_argument("--people", type=int, default=20, help="concurrent people in the paced phase")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds each person waits between turns")
    parser.add_argument("--warmup", type=float, default=8.0, help="paced phase: seconds not counted")
    parser.add_argument("--seconds", type=float, default=60.0, help="paced phase: seconds measured")
    parser.add_argument("--levels", default="4,8,16", help="saturation phase: concurrencies ('' to skip)")
    parser.add_argument("--level-seconds", type=float, default=15.0, help="saturation: seconds measured per level")
    args = parser.parse_args()
    if not (1 <= args.people <= 200 and 0 < args.seconds <= 900 and args.level_seconds <= 300):
        parser.error("keep it bounded: 1-200 people, at most 900 s paced and 300 s per level")
    levels = [int(x) for x in args.levels.split(",") if x.strip()]

    conversations = script.load()
    played = turns_in_order(conversations)
    elderly = sum(1 for c in conversations if c.mode == "elderly")
    processes: List[subprocess.Popen] = []
    url: Optional[str] = args.url
    model_name = "(external gateway)"
    if url is None:
        model_name = ensure_model(get_settings().model_dir).name
        action_port, gateway_port = free_port(), free_port()
        env = dict(os.environ, CIVIC_ACTION_PORT=str(action_port), CIVIC_PORT=str(gateway_port),
                   CIVIC_LOG_LEVEL="WARNING", CIVIC_RATE_LIMIT_EXEMPT="127.0.0.1",  # everyone is 127.0.0.1
                   CIVIC_DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'conversation-latency.db'}")
        processes = [subprocess.Popen([sys.executable, "-m", "assistant", name], cwd=ROOT, env=env)
                     for name in ("actions", "serve")]
    try:
        if processes:
            wait_for_http(f"http://127.0.0.1:{action_port}/health", 120, processes[0])
            url = f"http://127.0.0.1:{gateway_port}"
            wait_for_http(f"{url}/readyz", 180, processes[1])
        print(f"model {model_name}; {len(conversations)} conversations ({elderly} elderly mode), "
              f"{sum(len(c.turns) for c in conversations)} turns; {os.cpu_count()} cores; load {load()}")
        # the first turns after start-up load lazily (seconds each): one person, not counted
        asyncio.run(run_phase(url, played, 1, 0.0, 15.0, 0.001))
        paced = asyncio.run(run_phase(url, played, args.people, args.pause, args.warmup, args.seconds))
        print(f"paced: {paced['people']} people, {args.pause:g} s pause, {args.seconds:g} s after "
              f"{args.warmup:g} s warm-up: {paced['count']} turns, {paced['rate']:.1f} turns/s; "
              f"p50 {paced['p50']:.1f}  p95 {paced['p95']:.1f}  p99 {paced['p99']:.1f}  "
              f"max {paced['max']:.1f} ms; non-200: {sum(paced['errors'].values())} {paced['errors'] or ''}"
              f"; goal p95 < 300 ms: {'met' if paced['p95'] < 300 else 'NOT met'}")
        print(f"load {load()}")
        best = None
        for level in levels:
            result = asyncio.run(run_phase(url, played, level, 0.0, 3.0, args.level_seconds))
            print(f"saturation: {level:3d} people, no pause, {args.level_seconds:g} s: "
                  f"{result['rate']:6.1f} turns/s   p50 {result['p50']:7.1f}  p95 {result['p95']:7.1f} ms   "
                  f"({result['count']} turns, non-200: {sum(result['errors'].values())} {result['errors'] or ''})")
            if best is None or result["rate"] > best["rate"]:
                best = result
        if best is not None:
            print(f"saturation throughput: {best['rate']:.1f} turns/s (at {best['people']} people); load {load()}")
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
