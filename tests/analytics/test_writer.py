"""The log writer: concurrent producers lose and duplicate nothing; a stop flushes the rest;
a turn through the listener becomes one redacted, pseudonymous record."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow.dataset as ds

from analytics.listener import TurnLogger
from analytics.schema import make_record, parse_rating
from analytics.writer import LogWriter
from assistant.core.turns import Reply, Turn, TurnResult

T0 = datetime(2024, 3, 4, 15, 30, tzinfo=timezone.utc)  # 23:30 in Beijing


def rec(i: int, ts: datetime = T0) -> dict:
    return make_record(ts=ts, conversation_id=f"c{i // 3}", user_hash=f"u{i // 3}", channel="web",
                       mode="standard", lang="zh", text=f"问题 {i}", intent="passport",
                       topic="passport", confidence=0.9, fallback=False, handoff=False, latency_ms=12.5)


def read(root: Path):
    return ds.dataset(str(root), format="parquet", partitioning="hive").to_table()


def test_concurrent_producers_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    writer = LogWriter(str(tmp_path), flush_seconds=0.01, batch_size=50).start()
    threads, per_thread = 8, 1500

    def produce(t: int) -> None:
        for n in range(per_thread):
            writer.add(rec(t * per_thread + n, T0 + timedelta(hours=(n % 3) * 10)))

    workers = [threading.Thread(target=produce, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    writer.close()
    table = read(tmp_path)
    texts = table.column("text").to_pylist()
    assert len(texts) == threads * per_thread
    assert len(set(texts)) == threads * per_thread
    assert len(writer.files) > 3  # really written in several batches while producers ran
    days = sorted(p.name for p in tmp_path.iterdir())
    assert days == ["date=2024-03-04", "date=2024-03-05"]  # local (UTC+8) days: 23:30, 09:30, 19:30
    assert not list(tmp_path.rglob(".tmp-*"))


def test_close_flushes_what_the_timer_has_not(tmp_path: Path) -> None:
    writer = LogWriter(str(tmp_path), flush_seconds=3600, batch_size=10_000).start()
    for i in range(7):
        writer.add(rec(i))
    assert writer.pending() == 7 and not list(tmp_path.rglob("*.parquet"))
    writer.close()
    assert read(tmp_path).num_rows == 7 and writer.pending() == 0


def test_unreachable_storage_keeps_records_for_the_next_flush(tmp_path: Path) -> None:
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the folder should be")
    writer = LogWriter(str(blocker), flush_seconds=3600)
    writer.add(rec(1))
    assert writer.flush() == 0 and writer.pending() == 1
    blocker.unlink()
    assert writer.flush() == 1 and read(blocker).num_rows == 1


def test_object_store_urls_work_through_fsspec() -> None:
    writer = LogWriter("memory://civic-test/logs", flush_seconds=3600)
    writer.add(rec(1))
    writer.close()
    assert writer.written == 1 and writer.files[0].endswith(".parquet")


def test_ratings_on_the_national_scale() -> None:
    assert [parse_rating(v) for v in (5, "4", "非常满意", "基本满意", "非常不满意", "very satisfied")] == \
        [5, 4, 5, 3, 1, 5]
    assert [parse_rating(v) for v in (0, 6, "great", None, True, 2.5)] == [None] * 6


async def test_listener_writes_redacted_pseudonymous_records(tmp_path: Path) -> None:
    clock = iter([T0, T0 + timedelta(minutes=5), T0 + timedelta(hours=2)])
    writer = LogWriter(str(tmp_path), flush_seconds=3600)
    logger = TurnLogger(writer, salt="pepper", clock=lambda: next(clock))
    openid = "oWx_OPENID_123456"

    def result(**kw) -> TurnResult:
        base = dict(sender=openid, lang="zh", replies=[Reply("好的")], topic="passport", intent="passport",
                    confidence=0.93)
        base.update(kw)
        return TurnResult(**base)

    await logger(Turn(openid, "我叫张三，电话13812345678，护照怎么办", channel="wechat"), result(), 0.25)
    await logger(Turn(openid, "非常满意", channel="wechat"),
                 result(topic="feedback", intent="feedback", slots_set={"rating": "非常满意"}), 0.1)
    await logger(Turn(openid, "还有个问题", channel="rest", mode="elderly"),
                 result(fallback=True, intent="nlu_fallback", mode="elderly"), 0.3)
    writer.close()
    rows = sorted(read(tmp_path).to_pylist(), key=lambda r: r["ts"])
    assert [r["text"] for r in rows] == ["我叫<NAME>，电话<PHONE>，护照怎么办", "非常满意", "还有个问题"]
    assert all(openid not in str(r) for r in rows)
    assert rows[0]["user_hash"] == rows[2]["user_hash"] != openid
    assert rows[0]["conversation_id"] == rows[1]["conversation_id"] != rows[2]["conversation_id"]
    assert [r["rating"] for r in rows] == [None, 5, None]
    assert [r["channel"] for r in rows] == ["wechat", "wechat", "web"]
    assert rows[2]["fallback"] and rows[2]["mode"] == "elderly" and rows[0]["latency_ms"] == 250.0
