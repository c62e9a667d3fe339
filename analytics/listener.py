"""The core's turn listener that turns every (turn, result, latency) into a log record.

Registered by the gateway's lifespan on ``core.listeners``. It only redacts, hashes and hands
the record to the :class:`~analytics.writer.LogWriter` buffer, so it costs microseconds of the
reply. Conversation ids: channels give a stable sender (a WeChat OpenID, a web session); a new
conversation starts when the same sender comes back after ``gap_seconds`` of silence. The id is
a salted hash of sender and start time, so it cannot be turned back into the sender either.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import Callable, Dict, Tuple

from analytics.redact import redact
from analytics.schema import make_record
from analytics.writer import LogWriter
from assistant.core.turns import Turn, TurnResult
from assistant.logs import log_event, pseudonym


class TurnLogger:
    def __init__(self, writer: LogWriter, salt: str, gap_seconds: float = 1800,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.writer = writer
        self.salt = salt
        self.gap_seconds = gap_seconds
        self.clock = clock
        self._conversations: Dict[str, Tuple[str, datetime]] = {}  # user hash -> (id, last seen)
        self._lock = threading.Lock()

    def conversation_for(self, user_hash: str, now: datetime) -> str:
        with self._lock:
            known = self._conversations.get(user_hash)
            if known is None or (now - known[1]).total_seconds() > self.gap_seconds:
                conversation = pseudonym(f"{user_hash}:{now.isoformat()}", self.salt)
            else:
                conversation = known[0]
            self._conversations[user_hash] = (conversation, now)
            if len(self._conversations) > 100_000:  # forget senders silent for longer than the gap
                self._conversations = {
                    k: v for k, v in self._conversations.items()
                    if (now - v[1]).total_seconds() <= self.gap_seconds
                }
            return conversation

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
        self.writer.add(self.record(turn, result, elapsed))


def attach(core, settings) -> LogWriter:  # type: ignore[no-untyped-def]
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
        core.listeners.append(TurnLogger(writer, settings.id_salt))
    return writer
