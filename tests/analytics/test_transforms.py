"""The figures on a hand-made log of 5 conversations / 11 turns whose right answers are known
(see ``conftest.hand_made_log`` for the story of each conversation)."""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.testing import assertDataFrameEqual

from analytics import transforms as tf
from analytics.spark_job import read_logs


@pytest.fixture(scope="module")
def turns(spark, hand_made_logs):
    return tf.prepare(read_logs(spark, hand_made_logs, None, None)).cache()


@pytest.fixture(scope="module")
def convs(turns):
    return tf.conversations(turns).cache()


def by_segment(rows, channel="all", mode="all"):
    return [r for r in rows if r["channel"] == channel and r["mode"] == mode]


def test_conversations_know_what_was_asked_and_how_it_ended(spark, convs) -> None:
    expected = spark.createDataFrame(
        [("c1", "web", "standard", "zh", "passport", 5, "answered", 3),
         ("c2", "wechat", "elderly", "zh", None, None, "handoff", 2),
         ("c3", "kiosk", "elderly", "zh", "pension_certification", 2, "unresolved", 3),
         ("c4", "web", "standard", "en", "passport", None, "answered", 2),
         ("c5", "wechat", "standard", "zh", "individual_tax", None, "unresolved", 1)],
        "conversation_id string, channel string, mode string, lang string, matter string, rating tinyint, "
        "outcome string, turns bigint",
    )
    assertDataFrameEqual(
        convs.select("conversation_id", "channel", "mode", "lang", "matter", "rating", "outcome", "turns"), expected)


def test_headline_rates(turns, convs) -> None:
    rows = [r.asDict() for r in tf.rates(turns, convs).collect()]
    total = by_segment(rows)[0]
    assert (total["turns"], total["conversations"], total["users"]) == (11, 5, 4)
    assert total["fallback_rate"] == pytest.approx(2 / 11)
    assert total["handoff_rate"] == pytest.approx(1 / 11)
    assert total["understood_rate"] == pytest.approx(7 / 11)
    assert total["elderly_share"] == pytest.approx(5 / 11)
    assert (total["unresolved_conversations"], total["unresolved_rate"]) == (2, pytest.approx(0.4))
    assert (total["rated_conversations"], total["rating_avg"], total["satisfied_share"]) == (2, 3.5, 0.5)
    kiosk = by_segment(rows, "kiosk")[0]
    assert (kiosk["turns"], kiosk["conversations"], kiosk["unresolved_rate"]) == (3, 1, 1.0)
    web_standard = by_segment(rows, "web", "standard")[0]
    assert (web_standard["turns"], web_standard["fallback_rate"], web_standard["elderly_share"]) == (5, 0.0, 0.0)
    elderly = by_segment(rows, "all", "elderly")[0]
    assert (elderly["turns"], elderly["conversations"], elderly["handoff_rate"]) == (5, 2, pytest.approx(0.2))


def test_daily_volumes(spark, turns, convs) -> None:
    assertDataFrameEqual(
        tf.daily(turns, convs).where("channel = 'all' AND mode = 'all'").select("day", "turns", "conversations"),
        spark.createDataFrame([(date(2024, 3, 4), 5, 2), (date(2024, 3, 5), 5, 2), (date(2024, 3, 10), 1, 1)],
                              "day date, turns bigint, conversations bigint"),
    )


def test_hour_of_week_uses_local_time(spark, turns) -> None:
    assertDataFrameEqual(
        tf.hour_of_week(turns).where("channel = 'all' AND mode = 'all'").select("dow", "hour", "turns"),
        spark.createDataFrame([(1, 9, 3), (1, 20, 2), (2, 10, 3), (2, 14, 2), (7, 23, 1)],
                              "dow int, hour int, turns bigint"),
    )


def test_topics_count_turns_and_conversations(turns, convs) -> None:
    rows = {r["topic"]: r for r in tf.topics(turns, convs).where("channel = 'all' AND mode = 'all'").collect()}
    assert {t: (r["turns"], r["conversations"]) for t, r in rows.items()} == {
        "passport": (2, 2), "book_appointment": (1, 1), "feedback": (2, 2), "out_of_scope": (2, 2),
        "human_handoff": (1, 1), "pension_certification": (1, 1), "goodbye": (1, 1), "individual_tax": (1, 1),
    }
    assert rows["passport"]["share"] == pytest.approx(2 / 11)
    assert (rows["passport"]["kind"], rows["human_handoff"]["kind"], rows["out_of_scope"]["kind"]) == \
        ("matter", "capability", "capability")


def test_matters_and_departments(spark, convs) -> None:
    matters = {r["matter"]: r.asDict() for r in tf.matters(convs).where("channel = 'all' AND mode = 'all'").collect()}
    assert {m: (r["conversations"], r["unresolved"], r["rated"], r["rating_avg"]) for m, r in matters.items()} == {
        "passport": (2, 0, 1, 5.0), "pension_certification": (1, 1, 1, 2.0), "individual_tax": (1, 1, 0, None)}
    mapping = spark.createDataFrame([("passport", "出入境"), ("pension_certification", "社保")],
                                    "matter string, department string")
    departments = {r["department"]: r for r in
                   tf.departments(convs, mapping).where("channel = 'all' AND mode = 'all'").collect()}
    assert {d: (r["conversations"], r["rated"], r["rating_avg"], r["unresolved_rate"])
            for d, r in departments.items()} == {
        "出入境": (2, 1, 5.0, 0.0), "社保": (1, 1, 2.0, 1.0), "unassigned": (1, 0, None, 1.0)}


def test_sunburst_channel_matter_outcome(spark, convs) -> None:
    assertDataFrameEqual(
        tf.sunburst(convs),
        spark.createDataFrame([("web", "passport", "answered", 2), ("wechat", "other", "handoff", 1),
                               ("kiosk", "pension_certification", "unresolved", 1),
                               ("wechat", "individual_tax", "unresolved", 1)],
                              "channel string, matter string, outcome string, conversations bigint"),
    )


def test_unanswered_questions_are_fallbacks_low_confidence_and_badly_rated_requests(turns, convs) -> None:
    rows = {(r["lang"], r["text"]): r["count"] for r in tf.unanswered_questions(turns, convs).collect()}
    assert rows == {("zh", "养狗要办证吗"): 1, ("zh", "老年卡坐地铁免费吗"): 1, ("zh", "个税年度汇算怎么弄"): 1,
                    ("zh", "养老金资格认证怎么做"): 1}


def test_period_reads_only_its_days(spark, hand_made_logs) -> None:
    df = read_logs(spark, hand_made_logs, date(2024, 3, 5), date(2024, 3, 5))
    assert df.count() == 5
