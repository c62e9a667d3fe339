"""Simulated people for the load and reload benches: real conversations, over the real channels.

The conversations are the scripted ones of ``tests/dialogues/`` (matters and their follow-ups,
case-status checks with a case number and phone digits, bookings, life events, elderly mode; in
Chinese and English), played turn by turn. Each conversation goes through one channel, as people
would use them: elderly-mode conversations at the **kiosk** (``/api/v1/kiosk/chat``), the others
alternately on the **web chat** (``/api/v1/chat``) and **WeChat** in safe mode (encrypted XML
signed like WeChat's servers do, ``tests/wechat/sender.py``). Against Rasa's own server (the
peer) every conversation goes through its REST channel, with the same texts.

A person plays a conversation, pauses ``pause`` seconds after each answer, starts the next
conversation, and keeps going until the window ends. Every turn is recorded with its start time,
so a caller can cut the record into phases (before, during and after a model swap).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp

from tests.dialogues import script
from tests.wechat.sender import WeChatSender, new_msg_id, new_openid, text_xml

REQUEST_TIMEOUT = 30.0  # a turn slower than this counts as an error
CHANNELS = ("web", "kiosk", "wechat", "rest")


@dataclass(frozen=True)
class Played:
    """One conversation as a person plays it."""

    name: str
    channel: str  # web | kiosk | wechat (``rest`` when the target is Rasa's server)
    mode: str
    texts: Tuple[str, ...]
    topics: Tuple[Optional[Tuple[str, ...]], ...]  # what each turn is expected to be about


def conversations(seed: int = 16) -> List[Played]:
    """The scripted conversations that are about service matters (not small talk), each on its
    channel, in a fixed shuffled order so that channels, languages and topics mix."""
    chosen = [c for c in script.load() if c.turns[0].kind not in ("out_of_scope", "sensitive")]
    random.Random(seed).shuffle(chosen)
    played = []
    for index, c in enumerate(chosen):
        channel = "kiosk" if c.mode == "elderly" else ("wechat" if index % 3 == 0 else "web")
        played.append(Played(c.name, channel, c.mode, tuple(t.say for t in c.turns),
                             tuple(tuple(t.topic) if t.topic else None for t in c.turns)))
    return played


@dataclass
class TurnRecord:
    started: float  # perf_counter
    seconds: float
    channel: str
    outcome: str  # "ok", or what went wrong (an HTTP status, a client error)
    topic: Optional[str] = None


@dataclass
class Record:
    turns: List[TurnRecord] = field(default_factory=list)

    def between(self, start: float, end: float) -> List[TurnRecord]:
        return [t for t in self.turns if start <= t.started < end]


class Target:
    """Where the turns go: a gateway (its three channels) or Rasa's REST channel (``rest=True``)."""

    def __init__(self, url: str, rest: bool = False, wechat: Optional[WeChatSender] = None) -> None:
        self.url = url.rstrip("/")
        self.rest = rest
        self.wechat = wechat

    async def new_person(self, http: aiohttp.ClientSession) -> str:
        if self.rest:
            return f"load-{uuid.uuid4().hex}"
        async with http.post(f"{self.url}/api/v1/session", skip_auto_headers=("Content-Type",)) as response:
            response.raise_for_status()
            return (await response.json())["sender"]

    async def turn(self, http: aiohttp.ClientSession, channel: str, sender: str, text: str,
                   mode: str) -> Tuple[str, Optional[str]]:
        """One turn; ``("ok", topic)`` or ``(what went wrong, None)``."""
        if self.rest:
            async with http.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as r:
                body = await r.json(content_type=None) if r.status == 200 else None
                return ("ok", None) if r.status == 200 and body else (f"http {r.status}", None)
        if channel == "wechat" and self.wechat is not None:
            return await self._wechat(http, sender, text)
        path = "/api/v1/kiosk/chat" if channel == "kiosk" else "/api/v1/chat"
        payload = {"sender": sender, "message": text}
        if mode != "standard":
            payload["mode"] = mode
        async with http.post(f"{self.url}{path}", json=payload) as r:
            body = await r.json(content_type=None) if r.status == 200 else None
            if r.status != 200 or not body or not body.get("replies"):
                return f"http {r.status}", None
            return "ok", body.get("topic")

    async def _wechat(self, http: aiohttp.ClientSession, openid: str, text: str) -> Tuple[str, Optional[str]]:
        """A follower's message, encrypted and signed. "success" means the answer missed the reply
        budget and goes out through the customer-service API: answered, but late (counted apart)."""
        if self.wechat is None:
            raise ValueError("no WeChat sender for this target")
        params, body = self.wechat.envelope(text_xml(openid, text, msg_id=new_msg_id()), openid)
        async with http.post(f"{self.url}/channels/wechat", params=params, data=body) as r:
            reply = await r.text()
        if r.status != 200:
            return f"http {r.status}", None
        if reply.strip() == "success":
            return LATE, None
        return ("ok", None) if self.wechat.open_reply(reply) else ("wechat empty reply", None)


async def play(target: Target, played: Sequence[Played], people: int, pause: float, seconds: float,
               record: Record, start_at: int = 0) -> float:
    """``people`` people at once for ``seconds``; returns the window's start (perf_counter).
    A person finishes the turn in flight when the window ends, then stops."""
    connector = aiohttp.TCPConnector(limit=max(people, 1) + 4)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    begin = time.perf_counter()
    end = begin + seconds
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:

        async def person(index: int) -> None:
            rng = random.Random(index)
            if pause:
                await asyncio.sleep(rng.uniform(0, pause))  # people do not all start in the same ms
            position = start_at + index * len(played) // max(people, 1)
            while time.perf_counter() < end:
                conversation = played[position % len(played)]
                position += 1
                channel = "rest" if target.rest else conversation.channel
                try:
                    sender = new_openid() if channel == "wechat" else await target.new_person(http)
                except (aiohttp.ClientError, asyncio.TimeoutError) as err:
                    record.turns.append(TurnRecord(time.perf_counter(), 0.0, channel, f"session {type(err).__name__}"))
                    await asyncio.sleep(1)
                    continue
                for text in conversation.texts:
                    started = time.perf_counter()
                    if started >= end:
                        return
                    try:
                        outcome, topic = await target.turn(http, channel, sender, text, conversation.mode)
                    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as err:
                        outcome, topic = type(err).__name__, None
                    record.turns.append(TurnRecord(started, time.perf_counter() - started, channel, outcome, topic))
                    if pause:
                        await asyncio.sleep(pause)

        await asyncio.gather(*(person(i) for i in range(people)))
    return begin


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


LATE = "wechat late (customer-service API)"


def summary(turns: Sequence[TurnRecord], seconds: float) -> Dict[str, object]:
    """Turns, turns/s, p50/p95/p99/max in ms, and the errors by kind. A WeChat answer that missed
    the reply budget is counted as ``late``, not as an error (the follower still gets it), and its
    time (the budget, about 4 s) counts in the percentiles."""
    timed = [t.seconds * 1000 for t in turns if t.outcome in ("ok", LATE)]
    errors: Dict[str, int] = {}
    for t in turns:
        if t.outcome not in ("ok", LATE):
            errors[t.outcome] = errors.get(t.outcome, 0) + 1
    return {"turns": len(turns), "rate": len(turns) / seconds if seconds > 0 else float("nan"),
            "p50": percentile(timed, 0.50), "p95": percentile(timed, 0.95),
            "p99": percentile(timed, 0.99), "max": max(timed, default=float("nan")),
            "errors": sum(errors.values()), "error_kinds": errors,
            "late": sum(1 for t in turns if t.outcome == LATE)}
