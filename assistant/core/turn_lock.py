"""One turn at a time per conversation, across every worker and host, surviving a dead holder.

Rasa's ticket lock (``rasa.core.lock_store``, in Redis when processes share conversations) lines
turns up; each ticket expires ``lifetime`` seconds after it was issued, so a gateway killed in the
middle of a turn holds that conversation only that long. Rasa's own waiting loop has a flaw that
a killed host makes visible: a ticket that expires *while it waits* (the dead one ahead and ours
issued within the same polling second) leaves the waiter asking forever for a turn that never
comes (tests/production/test_multihost.py: the retried turn hung until the load balancer gave
up). Here a waiter whose ticket lapsed queues again, and waiting has an end.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from rasa.core.lock_store import LockError


def _holds(lock: Any, ticket: int) -> bool:
    """Whether ``ticket`` is still in line (not expired, not dropped by a concurrent write)."""
    return any(t.number == ticket and not t.has_expired() for t in lock.tickets)


@asynccontextmanager
async def conversation_turn(lock_store: Any, conversation_id: str, lifetime: float,
                            poll_seconds: float = 0.25, give_up_after: float = 0.0) -> AsyncIterator[None]:
    """Hold ``conversation_id`` for one turn (``async with``); :class:`LockError` when the line
    did not move within ``give_up_after`` seconds (default: three lifetimes).

    The lock store's calls block (Redis); they are short, and run on the agent's own loop."""
    wait = give_up_after or 3 * lifetime
    deadline = time.monotonic() + wait
    ticket = lock_store.issue_ticket(conversation_id, lifetime)
    try:
        while True:
            lock = lock_store.get_lock(conversation_id)
            queued = lock is not None and _holds(lock, ticket)
            if queued and not lock.is_locked(ticket):
                break
            if time.monotonic() > deadline:
                raise LockError(f"conversation still busy after {wait:.0f}s")
            if not queued:
                ticket = lock_store.issue_ticket(conversation_id, lifetime)  # lapsed while waiting
                continue
            await asyncio.sleep(poll_seconds)
            lock_store.update_lock(conversation_id)  # drops tickets that expired (a dead holder's)
        yield
    finally:
        lock_store.cleanup(conversation_id, ticket)
