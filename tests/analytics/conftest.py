"""One local SparkSession for the whole run (local[2], few shuffle partitions), and the
hand-made turn log whose right answers the figure tests know."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterator, List

import pytest

from analytics.schema import local_date, make_record


@pytest.fixture(scope="session")
def spark() -> Iterator["object"]:
    from analytics.spark import session

    spark = session("local[2]", app="civic-tests", shuffle_partitions=2, driver_memory="1g")
    yield spark
    spark.stop()


def beijing(day: int, hour: int, minute: int, month: int = 3) -> datetime:
    """A Beijing wall-clock time in March 2024, as the UTC instant the log stores."""
    return datetime(2024, month, day, hour, minute, tzinfo=timezone(timedelta(hours=8))).astimezone(timezone.utc)


def turn(conv: str, user: str, when: datetime, channel: str, mode: str, lang: str, text: str,
         intent: str, topic: str, confidence: float, fallback: bool = False, handoff: bool = False,
         rating=None) -> dict:
    return make_record(ts=when, conversation_id=conv, user_hash=user, channel=channel, mode=mode, lang=lang,
                       text=text, intent=intent, topic=topic, confidence=confidence, fallback=fallback,
                       handoff=handoff, latency_ms=100.0, rating=rating)


def hand_made_log() -> List[dict]:
    """5 conversations, 11 turns (see tests/analytics/test_transforms.py for the answers)."""
    return [
        # c1: web, standard, Monday 09:10 - passport, booked, very satisfied
        turn("c1", "u1", beijing(4, 9, 10), "web", "standard", "zh", "护照怎么办理", "passport", "passport", 0.9),
        turn("c1", "u1", beijing(4, 9, 11), "web", "standard", "zh", "我想预约", "book_appointment",
             "book_appointment", 0.95),
        turn("c1", "u1", beijing(4, 9, 12), "web", "standard", "zh", "非常满意", "feedback", "feedback", 1.0,
             rating=5),
        # c2: wechat, elderly, Monday 20:05 - not understood, handed to a person
        turn("c2", "u2", beijing(4, 20, 5), "wechat", "elderly", "zh", "养狗要办证吗", "nlu_fallback",
             "out_of_scope", 0.3, fallback=True),
        turn("c2", "u2", beijing(4, 20, 6), "wechat", "elderly", "zh", "转人工", "human_handoff", "human_handoff",
             0.9, handoff=True),
        # c3: kiosk, elderly, Tuesday 10:00 - pension, then a question it could not answer, rated 2
        turn("c3", "u3", beijing(5, 10, 0), "kiosk", "elderly", "zh", "养老金资格认证怎么做",
             "pension_certification", "pension_certification", 0.8),
        turn("c3", "u3", beijing(5, 10, 1), "kiosk", "elderly", "zh", "老年卡坐地铁免费吗", "nlu_fallback",
             "out_of_scope", 0.2, fallback=True),
        turn("c3", "u3", beijing(5, 10, 2), "kiosk", "elderly", "zh", "不满意", "feedback", "feedback", 1.0,
             rating=2),
        # c4: web, standard, English, Tuesday 14:30 - passport (unsure but answered), goodbye
        turn("c4", "u1", beijing(5, 14, 30), "web", "standard", "en", "how do I apply for a passport",
             "passport", "passport", 0.55),
        turn("c4", "u1", beijing(5, 14, 31), "web", "standard", "en", "thanks, bye", "goodbye", "goodbye", 0.9),
        # c5: wechat, standard, Sunday 23:30 - tax, low confidence, no answer
        turn("c5", "u5", beijing(10, 23, 30), "wechat", "standard", "zh", "个税年度汇算怎么弄", "individual_tax",
             "individual_tax", 0.45),
    ]


@pytest.fixture(scope="session")
def hand_made_logs(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The hand-made log written as the gateway writes it (date-partitioned Parquet)."""
    from analytics.writer import LogWriter

    root = tmp_path_factory.mktemp("handmade-logs")
    writer = LogWriter(str(root), flush_seconds=3600)
    for record in hand_made_log():
        writer.add(record)
    writer.close()
    assert sorted(p.name for p in root.iterdir()) == [f"date={local_date(beijing(d, 12, 0))}" for d in (4, 5, 10)]
    return str(root)


