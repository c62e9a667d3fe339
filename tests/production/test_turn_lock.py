"""The per-conversation turn lock, one test body over Rasa's memory and Redis lock stores: turns
take their turn, a dead holder delays the next turn by at most the lifetime (Rasa's own waiting
loop could wait forever when the waiter's ticket lapsed too), and waiting has an end."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any, List

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockError, RedisLockStore

from assistant.core.turn_lock import conversation_turn


@pytest.fixture(params=["memory", "redis"])
def lock_store(request: pytest.FixtureRequest) -> Any:
    if request.param == "memory":
        return InMemoryLockStore()
    request.getfixturevalue("redis_url")  # skips when Redis is absent
    return RedisLockStore(host="127.0.0.1", port=6379, db=0, key_prefix="civictest")


def _conversation() -> str:
    return f"web:lock-{uuid.uuid4().hex[:10]}"


def test_turns_of_one_conversation_do_not_overlap(lock_store: Any) -> None:
    conversation, spans = _conversation(), []

    async def turn(index: int) -> None:
        async with conversation_turn(lock_store, conversation, lifetime=5, poll_seconds=0.02):
            started = time.monotonic()
            await asyncio.sleep(0.1)
            spans.append((started, time.monotonic()))

    async def main() -> None:
        await asyncio.gather(*(turn(i) for i in range(3)))

    asyncio.run(main())
    spans.sort()
    assert len(spans) == 3
    assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:]))
    assert lock_store.get_lock(conversation) is None  # nothing left behind


def test_a_dead_holder_delays_the_next_turn_by_at_most_the_lifetime(lock_store: Any) -> None:
    """A gateway killed mid-turn never cleans its ticket up. The retry, issued just after it
    with the same lifetime, lapses in the same instant as the dead ticket: it queues again."""
    conversation, lifetime = _conversation(), 1.0
    lock_store.issue_ticket(conversation, lifetime)  # the dead host's turn

    async def retry() -> float:
        started = time.monotonic()
        async with conversation_turn(lock_store, conversation, lifetime=lifetime, poll_seconds=0.5):
            return time.monotonic() - started

    waited = asyncio.run(asyncio.wait_for(retry(), timeout=10))
    assert 0.5 <= waited <= lifetime + 1.0
    assert lock_store.get_lock(conversation) is None


def test_waiting_gives_up_with_a_lock_error(lock_store: Any) -> None:
    conversation = _conversation()
    events: List[str] = []

    async def main() -> None:
        async def holder() -> None:
            async with conversation_turn(lock_store, conversation, lifetime=30):
                events.append("held")
                await asyncio.sleep(1.0)

        task = asyncio.create_task(holder())
        await asyncio.sleep(0.1)
        with pytest.raises(LockError):
            async with conversation_turn(lock_store, conversation, lifetime=30, poll_seconds=0.05,
                                         give_up_after=0.3):
                events.append("overlapped")
        await task

    asyncio.run(main())
    assert events == ["held"]
