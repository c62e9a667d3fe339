"""What must outlive a Redis restart does, with Redis configured as docs/operations.md says
(append-only file): a crash (SIGKILL) and a restart keep conversations, WeChat consents and kept
replies, and staff logouts. The gateway can tell a Redis that would lose them (``off``, ``rdb``)."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import List

import pytest
import redis

from assistant.core.rasa_backend import _redis_endpoint
from assistant.state import RedisStore, redis_persistence
from channels.wechat.api import CustomerService
from channels.wechat.notify import CaseNotifier
from tests.conftest import free_port


class OwnRedis:
    """``redis-server`` on a free loopback port with the given persistence options."""

    def __init__(self, folder: Path, *options: str) -> None:
        self.folder, self.options, self.port = folder, options, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen = None  # type: ignore[assignment]

    def start(self) -> "OwnRedis":
        self.process = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(self.port),
                                         "--bind", "127.0.0.1", "--dir", str(self.folder), *self.options],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return self
            except redis.exceptions.RedisError:
                time.sleep(0.1)
        raise TimeoutError("redis-server did not answer")

    def crash(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture()
def servers(tmp_path) -> List[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    started: List[OwnRedis] = []
    yield started
    for server in started:
        if server.process.poll() is None:
            server.crash()


def test_conversations_consents_kept_replies_and_logouts_survive_a_redis_crash(tmp_path, servers):
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    aof = OwnRedis(tmp_path, "--appendonly", "yes", "--appendfsync", "always", "--save", "")
    servers.append(aof.start())
    assert redis_persistence(redis.Redis.from_url(aof.url)) == "aof"
    store = RedisStore(aof.url)
    store.set("staff:revoked:nonce1", "1", ttl=3600)  # a staff logout
    CaseNotifier(store, "wechat:wx1", None, "", sessions=None, salt="s").link("SZ2024001234", "openid-1", "user1")
    kept = CustomerService(None, store, "wechat:wx1").send("openid-2", "user2", ["您的护照已受理"])  # window closed
    assert kept.kept == 1
    trackers = TrackerStore.create(_redis_endpoint(aof.url, record_exp=3600))
    asyncio.run(trackers.save(DialogueStateTracker.from_events("web:abc", [UserUttered("我要办护照")])))

    aof.crash()  # no clean shutdown: what was acknowledged must be on disk already
    servers.append(aof.start())
    store = RedisStore(aof.url)
    assert store.get("staff:revoked:nonce1") == "1"
    notifier = CaseNotifier(store, "wechat:wx1", None, "", sessions=None, salt="s")
    assert "user1" in store.hgetall(notifier._case_key("SZ2024001234"))
    assert CustomerService(None, store, "wechat:wx1").user_wrote("user2") == ["您的护照已受理"]
    tracker = asyncio.run(TrackerStore.create(_redis_endpoint(aof.url, record_exp=3600)).retrieve("web:abc"))
    assert tracker is not None and tracker.latest_message.text == "我要办护照"


def test_a_redis_that_would_lose_them_is_recognised(tmp_path, servers):
    (tmp_path / "off").mkdir()
    (tmp_path / "rdb").mkdir()
    off = OwnRedis(tmp_path / "off", "--appendonly", "no", "--save", "")
    rdb = OwnRedis(tmp_path / "rdb", "--appendonly", "no", "--save", "60 1")
    servers.extend([off.start(), rdb.start()])
    assert redis_persistence(redis.Redis.from_url(off.url)) == "off"
    assert redis_persistence(redis.Redis.from_url(rdb.url)) == "rdb"
