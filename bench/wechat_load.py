"""Load test of the WeChat channel: many followers writing at once, in safe (encrypted) mode.

Starts a fake WeChat API (it cannot be reached from here), the action server and a real gateway
process (``civic serve``, several workers sharing Redis), then lets ``--users`` simulated
followers each send ``--messages`` encrypted messages, one after another, all users at once.
Each delivery behaves like WeChat's servers: no answer within 5 s -> deliver again (3 in all);
``--replay`` of the messages are also delivered twice more at once, to stress de-duplication.

Prints the reply-time percentiles, how many deliveries would have missed WeChat's 5 s limit,
how many answers went out through the customer-service API, and how many messages the gateway
processed more than once (counted from its own ``chat.turn`` log lines per pseudonymous sender).

    .venv/bin/python bench/wechat_load.py --users 200 --messages 3 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import List, Optional

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.logs import pseudonym  # noqa: E402
from tests.conftest import free_port, wait_for_http  # noqa: E402
from tests.wechat.fake_wechat import FakeWeChat  # noqa: E402
from tests.wechat.sender import WeChatSender, aes_key, new_msg_id, new_openid, text_xml  # noqa: E402

QUESTIONS = ["你好", "hello", "谢谢，再见", "在吗", "good morning", "好的", "再见", "有人吗"]
WECHAT_TIMEOUT = 5.0


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class Results:
    def __init__(self) -> None:
        self.reply_seconds: List[float] = []
        self.missed_5s = 0
        self.passive = 0
        self.success = 0
        self.errors: Counter = Counter()
        self.messages = 0


async def deliver(client: aiohttp.ClientSession, url: str, sender: WeChatSender, xml: str, openid: str,
                  results: Results) -> Optional[str]:
    """One delivery as WeChat makes it: 5 s in all, then it gives up (``None``, it will retry)."""
    params, body = sender.envelope(xml, openid)
    started = time.perf_counter()
    try:
        async with client.post(url, params=params, data=body,
                               timeout=aiohttp.ClientTimeout(total=WECHAT_TIMEOUT)) as response:
            text = await response.text()
    except asyncio.TimeoutError:
        results.missed_5s += 1
        return None
    except aiohttp.ClientError as err:
        results.errors[type(err).__name__] += 1
        return None
    results.reply_seconds.append(time.perf_counter() - started)
    if response.status != 200:
        results.errors[f"http {response.status}"] += 1
        return None
    return text


async def one_message(client, url, sender, openid, text, results: Results, replay: bool) -> None:
    xml = text_xml(openid, text, msg_id=new_msg_id())
    results.messages += 1
    if replay:  # the same message delivered three times at once (network-level redelivery)
        answers = await asyncio.gather(*(deliver(client, url, sender, xml, openid, results) for _ in range(3)))
    else:
        answers = []
        for _ in range(3):  # WeChat: deliver, and again after a 5 s timeout, three times in all
            answer = await deliver(client, url, sender, xml, openid, results)
            answers.append(answer)
            if answer is not None:
                break
    first = next((a for a in answers if a is not None), None)
    if first is None:
        results.errors["no answer after 3 deliveries"] += 1
    elif first.strip() == "success":
        results.success += 1
    else:
        results.passive += 1


async def user(client, url, sender, openid, messages: int, replay_fraction: float, results: Results) -> None:
    await asyncio.sleep(random.random() * 0.5)  # followers do not all press send in the same ms
    for _ in range(messages):
        await one_message(client, url, sender, openid, random.choice(QUESTIONS), results,
                          random.random() < replay_fraction)
        await asyncio.sleep(random.uniform(1.0, 3.0))  # reading the answer, typing the next


def redis_available(url: str) -> bool:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--messages", type=int, default=3, help="messages per user, sent one after another")
    parser.add_argument("--workers", type=int, default=2, help="gateway worker processes")
    parser.add_argument("--replay", type=float, default=0.2, help="fraction of messages delivered 3x at once")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--database-url", default="", help="PostgreSQL for several workers (SQLite: one)")
    args = parser.parse_args()

    use_redis = redis_available(args.redis)
    if args.workers > 1 and not use_redis:
        print("Redis is not reachable: several workers need it; using 1 worker", file=sys.stderr)
        args.workers = 1
    if args.workers > 1 and not args.database_url.startswith("postgresql"):
        print("several workers need PostgreSQL (--database-url); using 1 worker", file=sys.stderr)
        args.workers = 1
    fake = FakeWeChat("wxbench" + uuid.uuid4().hex[:8], "bench-secret").start(free_port())
    token, key = "benchtoken" + uuid.uuid4().hex[:6], aes_key()
    salt = "bench-salt-" + uuid.uuid4().hex[:6]
    var = Path(tempfile.mkdtemp(prefix="wechat-bench-"))
    action_port, port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(CIVIC_ENVIRONMENT="test", CIVIC_VAR_DIR=str(var), CIVIC_ACTION_PORT=str(action_port),
               CIVIC_PORT=str(port), CIVIC_WORKERS=str(args.workers), CIVIC_LOG_LEVEL="INFO",
               CIVIC_ID_SALT=salt, CIVIC_WECHAT_TOKEN=token, CIVIC_WECHAT_AES_KEY=key,
               CIVIC_WECHAT_APP_ID=fake.app_id, CIVIC_WECHAT_APP_SECRET=fake.secret,
               CIVIC_WECHAT_API_BASE=fake.url)
    if use_redis:
        env["CIVIC_REDIS_URL"] = args.redis
    if args.database_url:
        env["CIVIC_DATABASE_URL"] = args.database_url
    from assistant.core.model_store import latest_model
    from assistant.settings import load_settings

    if latest_model(load_settings().model_dir) is None:  # the gateway serves the latest model
        subprocess.run([sys.executable, "-m", "assistant", "train"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    log_path = var / "gateway.log"
    processes = []
    try:
        processes.append(subprocess.Popen([sys.executable, "-m", "assistant", "actions"], cwd=ROOT, env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for_http(f"http://127.0.0.1:{action_port}/health", timeout=120, process=processes[0])
        with open(log_path, "w") as log:
            processes.append(subprocess.Popen([sys.executable, "-m", "assistant", "serve"], cwd=ROOT, env=env,
                                              stdout=log, stderr=log))
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/healthz", timeout=180, process=processes[1])
        deadline = time.monotonic() + 180
        while httpx.get(f"{base}/readyz", timeout=5).status_code != 200:
            if time.monotonic() > deadline:
                raise TimeoutError("gateway never became ready")
            time.sleep(0.5)
        time.sleep(2.0 * args.workers)  # every worker has loaded its model

        sender = WeChatSender(token, key, fake.app_id)
        openids = [new_openid() for _ in range(args.users)]
        results = Results()

        async def run() -> float:
            # aiohttp, not httpx: the load generator shares the 2 cores with the gateway, and
            # httpx's client costs several times more CPU a request
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=args.users * 3)) as client:
                started = time.perf_counter()
                await asyncio.gather(*(user(client, f"{base}/channels/wechat", sender, o, args.messages,
                                            args.replay, results) for o in openids))
                return time.perf_counter() - started

        wall = asyncio.run(run())
        time.sleep(3.0)  # let deferred answers reach the customer-service API
        cs_sends = [c for c in fake.calls_to("message/custom/send") if c["ok"]]
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        fake.stop()

    log_text = log_path.read_text(errors="replace")
    turns = Counter(re.findall(r"chat\.turn channel=wechat sender=([0-9a-f]+)", log_text))
    sent = Counter()
    for openid in openids:
        # The channel hands the core pseudonym(openid); the core logs the pseudonym of its sender.
        sent[pseudonym(pseudonym(openid, salt), salt)] = args.messages
    twice = sum(max(0, turns[p] - n) for p, n in sent.items())
    duplicates_seen = log_text.count("wechat.message.duplicate")
    token_calls = len(fake.calls_to("stable_token")) + len(fake.calls_to("token"))
    seconds = results.reply_seconds
    print(f"WeChat load: {args.users} users x {args.messages} messages, {args.workers} workers, "
          f"redis={'yes' if use_redis else 'no'}, replayed fraction {args.replay}")
    print(f"  messages: {results.messages}, deliveries: {len(seconds)}, wall time {wall:.1f} s, "
          f"throughput {results.messages / wall:.1f} msg/s")
    print(f"  reply time p50 {percentile(seconds, 50) * 1000:.0f} ms, p95 {percentile(seconds, 95) * 1000:.0f} ms, "
          f"p99 {percentile(seconds, 99) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms")
    print(f"  deliveries that would miss WeChat's 5 s: {results.missed_5s} (goal 0)")
    print(f"  passive replies: {results.passive}, answered 'success' (customer-service path): {results.success}, "
          f"customer-service messages sent: {len(cs_sends)}")
    print(f"  duplicate deliveries recognised: {duplicates_seen}; messages processed twice: {twice} (goal 0)")
    print(f"  conversation turns logged: {sum(turns.values())} for {results.messages} messages; "
          f"token endpoint calls: {token_calls}")
    if results.errors:
        print(f"  errors: {dict(results.errors)}")
    return 0 if results.missed_5s == 0 and twice == 0 and not results.errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
