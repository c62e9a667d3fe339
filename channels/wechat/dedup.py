"""Exactly-once handling of WeChat's deliveries, across every worker.

WeChat waits five seconds for an answer and then delivers the same message again, three times in
all, possibly to another worker. The first delivery to *claim* a message processes it; the others
wait briefly for its outcome and give the same passive reply, or ``success`` when the answer goes
out through the customer-service API instead. The ledger lives in the shared store with expiry.
"""

from __future__ import annotations

import hashlib
from typing import Optional

from assistant.state import KeyValueStore

#: WeChat's retries come within ~15 seconds; keep the ledger well past the signature window.
LEDGER_TTL_SECONDS = 900

PROCESSING = "processing"
DEFERRED = "deferred"  # the answer goes out through the customer-service API
_REPLY_PREFIX = "reply:"


def message_key(msg_id: Optional[int], sender: str, create_time: Optional[int], event: str = "") -> str:
    """What identifies one message: its ``MsgId``, or sender + ``CreateTime`` for events (plus
    the event and its key, so two different menu clicks within one second both count).

    ``sender`` must already be the pseudonym: raw OpenIDs do not go into store keys either.
    """
    if msg_id:
        return f"msg:{msg_id}"
    return f"evt:{sender}:{create_time or 0}:{event.lower()}"


class DeliveryLedger:
    def __init__(self, store: KeyValueStore, namespace: str, ttl: float = LEDGER_TTL_SECONDS) -> None:
        self._store = store
        self._namespace = namespace
        self._ttl = ttl

    def _key(self, key: str) -> str:
        return f"{self._namespace}:dedup:{key}"

    def claim(self, key: str) -> bool:
        """True for exactly one delivery of a message, whichever worker it reaches."""
        return self._store.set_if_absent(self._key(key), PROCESSING, self._ttl)

    def record_reply(self, key: str, text: str) -> None:
        """The passive reply that was given, so a retry can give the very same one."""
        self._store.set(self._key(key), _REPLY_PREFIX + text, ttl=self._ttl)

    def record_deferred(self, key: str) -> None:
        """The answer will go out through the customer-service API; retries get ``success``."""
        self._store.set(self._key(key), DEFERRED, ttl=self._ttl)

    def mark_retry_answered(self, key: str) -> None:
        """A retry answered ``success`` while the first delivery was still working: WeChat will
        discard that first delivery's passive reply, so it must go out another way."""
        self._store.set(self._key(key) + ":retry-answered", "1", ttl=self._ttl)

    def finish(self, key: str, reply: str) -> bool:
        """Record the passive reply; ``False`` when a retry already answered for this message."""
        self.record_reply(key, reply)
        return self._store.get(self._key(key) + ":retry-answered") is None

    def release(self, key: str) -> None:
        """Processing could not start (the store failed): let WeChat's retry try again."""
        self._store.delete(self._key(key))

    def outcome(self, key: str) -> Optional[str]:
        """``processing``, ``deferred``, ``reply:<text>`` or ``None`` (never seen / expired)."""
        return self._store.get(self._key(key))


def reply_of(outcome: Optional[str]) -> Optional[str]:
    """The passive reply text recorded in an outcome, if there is one."""
    if outcome and outcome.startswith(_REPLY_PREFIX):
        return outcome[len(_REPLY_PREFIX):]
    return None


class ReplayGuard:
    """Refuses a captured signature used again for another message (issue 15).

    In plain mode WeChat signs only ``timestamp`` and ``nonce``, not the body: a signature seen
    once (in a proxy log, on the wire) would carry any message from any user for the five minutes
    the timestamp stays fresh. The first request with a (timestamp, nonce) pair records a digest
    of its body in the shared store; the same pair with another body is a replay. WeChat's own
    retries resend the same body and pass, to be answered by the de-duplication ledger.
    """

    def __init__(self, store: KeyValueStore, namespace: str, ttl: float) -> None:
        self._store = store
        self._namespace = namespace
        self._ttl = ttl

    def first_use(self, timestamp: str, nonce: str, body: bytes) -> bool:
        digest = hashlib.sha256(body).hexdigest()
        key = f"{self._namespace}:nonce:{timestamp}:{hashlib.sha256(nonce.encode()).hexdigest()[:32]}"
        if self._store.set_if_absent(key, digest, self._ttl):
            return True
        return self._store.get(key) == digest
