"""The speech cache cannot fill the Redis that holds conversations and lockouts (issue 15).

On main ``POST /api/v1/tts`` stored ~28 MB per request for 30 days in that Redis; with an
eviction policy five requests evicted a case-check lockout."""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from assistant.gateway.app import create_app
from assistant.settings import Settings
from assistant.voice.cache import Clip, DiskAudioCache, RedisAudioCache, cache_key
from tests.conftest import free_port
from tests.security.conftest import client_address


@pytest.fixture(params=["disk", "redis"])
def bounded_cache(request, tmp_path: Path, redis_url: str):  # type: ignore[no-untyped-def]
    if request.param == "disk":
        return DiskAudioCache(tmp_path, max_entry=1000, max_total=2500)
    return RedisAudioCache(redis_url, prefix=f"civic-test:{uuid.uuid4().hex[:8]}:", ttl_seconds=60,
                           max_entry=1000, max_total=2500)


def test_cache_bounds_each_clip_and_the_total(bounded_cache) -> None:  # type: ignore[no-untyped-def]
    keys = [cache_key("espeak", "en", 1.0, f"text {i}") for i in range(5)]
    bounded_cache.put(keys[0], Clip(b"x" * 1001, "audio/wav"))
    assert bounded_cache.get(keys[0]) is None  # one clip over the entry limit: not kept
    for key in keys[1:]:
        bounded_cache.put(key, Clip(b"y" * 900, "audio/wav"))
    kept = [key for key in keys[1:] if bounded_cache.get(key) is not None]
    assert len(kept) == 2  # 3 x 900 would pass the 2,500 bytes of the window


@pytest.fixture()
def small_redis(tmp_path: Path) -> Iterator[str]:
    """A Redis of its own with a memory cap and LRU eviction, as a tight deployment has."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--maxmemory", "24mb", "--maxmemory-policy", "allkeys-lru",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_tts_flood_evicts_no_lockout(limited_settings: Settings, small_redis: str) -> None:
    settings = limited_settings.copy(update={"redis_url": small_redis})
    with TestClient(create_app(settings), client=(client_address(), 1)) as client:
        store = client.app.state.store
        store.set("lockout:SZ2024001234", "5", ttl=3600)  # what a case-check lockout looks like
        words = "the office is open from nine to five on weekdays please bring your passport "
        for i in range(6):
            text = (f"{i} " + words * 40)[:2000]
            response = client.post("/api/v1/tts", json={"text": text, "lang": "en"})
            assert response.status_code == 200 and len(response.content) > 2 * 1024 * 1024
        assert store.get("lockout:SZ2024001234") == "5"
        used = redis.Redis.from_url(small_redis).info("memory")["used_memory"]
    assert used < 8 * 1024 * 1024, used
