"""Chat latency and throughput: the HTTP gateway against the bare Rasa agent, same run, same work.

    .venv/bin/python bench/chat_latency.py --senders 20 --messages 15

Starts the action server and one gateway worker (uvicorn) as real processes, drives N concurrent
senders through ``POST /api/v1/chat``, then sends the same conversations straight into an
in-process ``rasa.core.agent.Agent``. Prints p50/p95 latency and messages/second for both and
the gateway's ratios (goal: p50 within 15% of the agent's, throughput at least 85%).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Awaitable, Callable, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.core.model_store import ensure_model  # noqa: E402
from assistant.settings import get_settings  # noqa: E402
from tests.conftest import free_port, wait_for_http  # noqa: E402

CONVERSATION = ["你好", "hello", "今天天气怎么样", "what's the weather like", "再见", "good morning",
                "有人吗", "tell me a joke", "谢谢，再见", "hi there"]


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def drive(send: Callable[[str, str], Awaitable[None]], senders: int, messages: int) -> dict:
    latencies: List[float] = []

    async def one_sender(index: int) -> None:
        for turn in range(messages):
            text = CONVERSATION[(index + turn) % len(CONVERSATION)]
            started = time.perf_counter()
            await send(f"bench-{index}-{os.getpid()}-{time.time_ns()}" if turn == 0 else f"bench-{index}", text)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one_sender(i) for i in range(senders)))
    wall = time.perf_counter() - started
    return {"p50": percentile(latencies, 0.5) * 1000, "p95": percentile(latencies, 0.95) * 1000,
            "rate": len(latencies) / wall, "count": len(latencies)}


async def bench_gateway(url: str, senders: int, messages: int) -> dict:
    import aiohttp  # a lighter client than httpx: the client shares the 2 cores with the server

    connector = aiohttp.TCPConnector(limit=senders)
    async with aiohttp.ClientSession(url, connector=connector) as client:
        issued: dict = {}  # the bench's name for a conversation -> the id the gateway issued for it

        async def send(sender: str, text: str) -> None:
            if sender not in issued:
                async with client.post("/api/v1/session") as response:
                    response.raise_for_status()
                    issued[sender] = (await response.json())["sender"]
            async with client.post("/api/v1/chat", json={"sender": issued[sender], "message": text}) as response:
                response.raise_for_status()
                await response.read()

        await drive(send, senders, 2)  # warm-up
        return await drive(send, senders, messages)


async def bench_agent(model: Path, action_url: str, senders: int, messages: int) -> dict:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.utils.endpoints import EndpointConfig

    from assistant.logs import quiet_rasa

    quiet_rasa()
    agent = Agent.load(str(model), action_endpoint=EndpointConfig(url=action_url))

    async def send(sender: str, text: str) -> None:
        # Yield first so all senders queue, as their requests do at the gateway; otherwise the
        # agent (CPU-bound, never suspending) would serve them one by one with no waiting at all.
        await asyncio.sleep(0)
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))

    await drive(send, senders, 2)
    return await drive(send, senders, messages)


def report(name: str, result: dict) -> None:
    print(f"{name:<14} p50 {result['p50']:7.1f} ms   p95 {result['p95']:7.1f} ms   "
          f"{result['rate']:7.1f} msg/s   ({result['count']} messages)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--messages", type=int, default=15, help="messages per sender")
    args = parser.parse_args()

    model = ensure_model(get_settings().model_dir)
    action_port, gateway_port = free_port(), free_port()
    env = dict(os.environ, CIVIC_ACTION_PORT=str(action_port), CIVIC_PORT=str(gateway_port),
               CIVIC_LOG_LEVEL="WARNING", CIVIC_DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'bench.db'}")
    processes = [subprocess.Popen([sys.executable, "-m", "assistant", name], cwd=ROOT, env=env)
                 for name in ("actions", "serve")]
    try:
        wait_for_http(f"http://127.0.0.1:{action_port}/health", 120, processes[0])
        gateway = f"http://127.0.0.1:{gateway_port}"
        wait_for_http(f"{gateway}/readyz", 180, processes[1])
        print(f"model {model.name}; {args.senders} concurrent senders x {args.messages} messages; "
              f"{os.cpu_count()} cores")
        through_gateway = asyncio.run(bench_gateway(gateway, args.senders, args.messages))
    finally:
        processes[1].terminate()
        processes[1].wait(timeout=20)
    try:
        bare = asyncio.run(bench_agent(model, f"http://127.0.0.1:{action_port}/webhook",
                                       args.senders, args.messages))
    finally:
        processes[0].terminate()
        processes[0].wait(timeout=20)
    report("gateway (HTTP)", through_gateway)
    report("bare agent", bare)
    print(f"gateway p50 / agent p50 = {through_gateway['p50'] / bare['p50']:.2f} (goal <= 1.15); "
          f"gateway throughput / agent = {through_gateway['rate'] / bare['rate']:.2f} (goal >= 0.85)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
