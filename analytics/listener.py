"""The core's turn listener that turns every (turn, result, latency) into a log record.

Registered by the gateway's lifespan on ``core.listeners``. It only redacts, hashes and hands
the record to the :class:`~analytics.writer.LogWriter` buffer, so it costs microseconds of the
reply. Conversation ids: channels give a stable sender (a WeChat OpenID, a web session); a new
conversation starts when the same sender comes back after ``gap_seconds`` of silence. The id is
a salted hash of sender and start time, so it cannot be turned back into the sender either.

Which conversation a sender is in lives in the shared key-value store (Redis with several
workers): a per-process map made each worker start its own conversation for the same person, so
one conversation was counted once per worker it happened to reach.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Callable, Optional

from analytics.redact import redact
from analytics.schema import make_record
from analytics.writer import LogWriter
from assistant.core.turns import Turn, TurnResult
from assistant.errors import UnavailableError
from assistant.logs import log_event, pseudonym
from assistant.state import KeyValueStore, MemoryStore

_KEY = "analytics:conversation:"


class TurnLogger:
    def __init__(self, writer: LogWriter, salt: str, gap_seconds: float = 1800,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 store: Optional[KeyValueStore] = None) -> None:
        self.writer = writer
        self.salt = salt
        self.gap_seconds = gap_seconds
        self.clock = clock
        self.store: KeyValueStore = store if store is not None else MemoryStore()
        self.failed = 0

    def conversation_for(self, user_hash: str, now: datetime) -> str:
        """The sender's current conversation id, shared by every worker; a silence longer than
        the gap starts a new one. The value is ``id|last seen``; its expiry only tidies up. Two
        workers starting a conversation at the same moment agree through ``set_if_absent``."""
        key = _KEY + user_hash
        stamp = now.timestamp()
        fresh = pseudonym(f"{user_hash}:{now.isoformat()}", self.salt)
        ttl = self.gap_seconds * 2
        try:
            if self.store.set_if_absent(key, f"{fresh}|{stamp}", ttl):
                return fresh
            conversation, _, seen = (self.store.get(key) or "").partition("|")
            try:
                silent = stamp - float(seen)
            except ValueError:
                silent = self.gap_seconds + 1
            if not conversation or silent > self.gap_seconds:
                conversation = fresh
            self.store.set(key, f"{conversation}|{stamp}", ttl=ttl)  # each turn extends it
            return conversation
        except UnavailableError:  # the store is down: a record with a fresh id beats no record
            return fresh

    def record(self, turn: Turn, result: TurnResult, elapsed: float) -> dict:
        now = self.clock()
        user_hash = pseudonym(turn.sender, self.salt)
        return make_record(
            ts=now, conversation_id=self.conversation_for(user_hash, now), user_hash=user_hash,
            channel=turn.channel, mode=result.mode, lang=result.lang, text=redact(turn.text.strip()),
            intent=result.intent, topic=result.topic, confidence=result.confidence,
            fallback=result.fallback, handoff=result.handoff, latency_ms=round(elapsed * 1000, 2),
            rating=result.slots_set.get("rating"),
        )

    async def __call__(self, turn: Turn, result: TurnResult, elapsed: float) -> None:
        try:
            if isinstance(self.store, MemoryStore):
                record = self.record(turn, result, elapsed)
            else:  # a network round trip: off the event loop
                record = await asyncio.get_running_loop().run_in_executor(
                    None, self.record, turn, result, elapsed)
        except Exception as err:  # the log must never cost the person their answer
            self.failed += 1
            log_event("analytics.log.record_failed", error=type(err).__name__)
            return
        self.writer.add(record)


def attach(core, settings, store: Optional[KeyValueStore] = None) -> LogWriter:  # type: ignore[no-untyped-def]
    """Start a writer at ``settings.effective_log_path`` and log every turn of ``core``."""
    try:
        writer = LogWriter(settings.effective_log_path, settings.analytics_flush_seconds,
                           settings.analytics_batch_size)
    except Exception as err:  # an object store we cannot even open: keep the records locally
        fallback = str(settings.var_dir / "logs")
        log_event("analytics.log.fallback", error=type(err).__name__, path=fallback)
        writer = LogWriter(fallback, settings.analytics_flush_seconds, settings.analytics_batch_size)
    writer.start()
    if core is not None:
        core.listeners.append(TurnLogger(writer, settings.id_salt, store=store))
    return writer
