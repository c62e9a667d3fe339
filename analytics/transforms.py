"""The figures of the demand analysis as pure DataFrame -> DataFrame functions.

Every function takes the turn log (``analytics.schema.TURN_SCHEMA`` plus the ``date``
partition) or the conversation table built from it, and returns a small DataFrame; nothing
here reads files, writes results or looks at configuration, so each is tested on a hand-made
log whose right answers are known. Times are read in the session time zone, which
:func:`analytics.spark.session` sets to the service's (Asia/Shanghai).

Segments: most figures are broken down by ``channel`` and ``mode`` with ``"all"`` rows for the
totals (a cube), so the dashboard can filter without another Spark run.
"""

from __future__ import annotations

from typing import List, Sequence

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from assistant.core.topics import CAPABILITIES, LIFE_EVENTS, MATTERS

ALL = "all"
SEGMENT = ("channel", "mode")
#: Below this confidence a turn that did not fall back still counts as "not understood".
UNDERSTOOD_CONFIDENCE = 0.6
LOW_CONFIDENCE = 0.5
#: Turns that are not a request of their own (the conversation's outcome ignores them).
NON_REQUEST_TOPICS = ("feedback", "goodbye", "greet", "repeat")


def _cube(df: DataFrame, keys: Sequence[str], aggregations: List[Column]) -> DataFrame:
    """Group by ``keys`` and every combination of channel and mode, totals labelled ``all``."""
    grouped = df.cube(*keys, *SEGMENT).agg(*aggregations, *[F.grouping(k).alias(f"_g_{k}") for k in keys])
    for key in keys:
        grouped = grouped.where(F.col(f"_g_{key}") == 0).drop(f"_g_{key}")
    return grouped.fillna(ALL, subset=list(SEGMENT))


def prepare(turns: DataFrame) -> DataFrame:
    """Add the local day, hour and weekday (1 = Monday) and the per-turn flags."""
    return (
        turns.withColumn("day", F.to_date("ts"))
        .withColumn("hour", F.hour("ts"))
        .withColumn("dow", ((F.dayofweek("ts") + 5) % 7) + 1)
        .withColumn("understood", ~F.col("fallback") & (F.coalesce("confidence", F.lit(1.0)) >= UNDERSTOOD_CONFIDENCE))
        .withColumn("is_matter", F.col("topic").isin(*MATTERS))
    )


def daily(turns: DataFrame, convs: DataFrame) -> DataFrame:
    """Turns per day and conversations started per day, by segment."""
    per_turn = _cube(turns, ["day"], [F.count("*").alias("turns")])
    per_conv = _cube(convs, ["day"], [F.count("*").alias("conversations")])
    return per_turn.join(per_conv, ["day", *SEGMENT], "left").fillna(0, subset=["conversations"])


def topics(turns: DataFrame) -> DataFrame:
    """Turns and conversations per topic with the topic's kind and its share of the segment."""
    kind = (F.when(F.col("topic").isin(*MATTERS), "matter")
            .when(F.col("topic").isin(*CAPABILITIES), "capability")
            .when(F.col("topic").isin(*LIFE_EVENTS), "life_event").otherwise("other"))
    named = turns.withColumn("topic", F.coalesce("topic", F.lit("out_of_scope")))
    # Distinct (conversation, topic) pairs first: a plain count then gives conversations, and
    # the cube stays cheap (a distinct count inside a cube multiplies the shuffle).
    pairs = named.select("conversation_id", "topic", *SEGMENT).distinct()
    counted = _cube(named, ["topic"], [F.count("*").alias("turns")]).join(
        _cube(pairs, ["topic"], [F.count("*").alias("conversations")]), ["topic", *SEGMENT], "left")
    totals = counted.groupBy(*SEGMENT).agg(F.sum("turns").alias("_total"))
    return (counted.join(totals, list(SEGMENT)).withColumn("share", F.col("turns") / F.col("_total"))
            .drop("_total").withColumn("kind", kind))


def hour_of_week(turns: DataFrame) -> DataFrame:
    """Turns per weekday (1 = Monday) and local hour, by segment: the heat map."""
    return _cube(turns, ["dow", "hour"], [F.count("*").alias("turns")])


def conversations(turns: DataFrame) -> DataFrame:
    """One row per conversation: what it asked for, how it ended, how it was rated.

    ``outcome`` is ``handoff`` (a person took over), ``unresolved`` (the last real request fell
    back, a bad rating (1-2), or it never reached any matter but did fall back), else ``answered``.
    """
    request = ~F.coalesce(F.col("topic"), F.lit("")).isin(*NON_REQUEST_TOPICS)
    last_request = F.max(F.when(request, F.struct("ts", "fallback", "confidence")))
    rows = turns.groupBy("conversation_id").agg(
        F.min("ts").alias("start"),
        F.min(F.struct("ts", "channel", "mode", "lang", "user_hash")).alias("_first"),
        F.count("*").alias("turns"),
        F.min(F.when(F.col("is_matter"), F.struct("ts", "topic"))).getField("topic").alias("matter"),
        F.max(F.col("fallback").cast("int")).cast("boolean").alias("any_fallback"),
        F.max(F.col("handoff").cast("int")).cast("boolean").alias("any_handoff"),
        last_request.alias("_last"),
        F.max(F.when(F.col("rating").isNotNull(), F.struct("ts", "rating"))).getField("rating").alias("rating"),
    )
    last_failed = (F.col("_last.fallback")
                   | (F.coalesce(F.col("_last.confidence"), F.lit(1.0)) < LOW_CONFIDENCE))
    unresolved = (F.coalesce(last_failed, F.lit(False)) | (F.coalesce(F.col("rating"), F.lit(5)) <= 2)
                  | (F.col("matter").isNull() & F.col("any_fallback")))
    return rows.select(
        "conversation_id", "start", F.to_date("start").alias("day"),
        F.col("_first.channel").alias("channel"), F.col("_first.mode").alias("mode"),
        F.col("_first.lang").alias("lang"), F.col("_first.user_hash").alias("user_hash"), "turns",
        "matter", "any_fallback", "any_handoff", "rating",
        F.when(F.col("any_handoff"), "handoff").when(unresolved, "unresolved").otherwise("answered").alias("outcome"),
    )


def rates(turns: DataFrame, convs: DataFrame) -> DataFrame:
    """Headline numbers per segment: volumes, fallback/handoff/understood rates, elderly share,
    latency, satisfaction and the share of conversations that ended unresolved."""
    per_turn = _cube(turns, [], [
        F.count("*").alias("turns"),
        F.approx_count_distinct("user_hash", 0.01).alias("users"),  # HyperLogLog, about 1%
        F.avg(F.col("fallback").cast("double")).alias("fallback_rate"),
        F.avg(F.col("handoff").cast("double")).alias("handoff_rate"),
        F.avg(F.col("understood").cast("double")).alias("understood_rate"),
        F.avg((F.col("mode") == "elderly").cast("double")).alias("elderly_share"),
        F.avg("latency_ms").alias("latency_ms_avg"),
        F.percentile_approx("latency_ms", 0.95).alias("latency_ms_p95"),
    ])
    per_conv = _cube(convs, [], [
        F.count("*").alias("conversations"),
        F.avg((F.col("outcome") == "unresolved").cast("double")).alias("unresolved_rate"),
        F.sum((F.col("outcome") == "unresolved").cast("int")).alias("unresolved_conversations"),
        F.count("rating").alias("rated_conversations"),
        F.avg("rating").alias("rating_avg"),
        F.avg(F.when(F.col("rating").isNotNull(), (F.col("rating") >= 4).cast("double"))).alias("satisfied_share"),
    ])
    return per_turn.join(per_conv, list(SEGMENT), "left")


def matters(convs: DataFrame) -> DataFrame:
    """Per matter asked for: conversations, outcomes and satisfaction, by segment."""
    return _cube(convs.where(F.col("matter").isNotNull()), ["matter"], [
        F.count("*").alias("conversations"),
        F.sum((F.col("outcome") == "unresolved").cast("int")).alias("unresolved"),
        F.sum((F.col("outcome") == "handoff").cast("int")).alias("handoffs"),
        F.count("rating").alias("rated"),
        F.avg("rating").alias("rating_avg"),
        F.avg(F.when(F.col("rating").isNotNull(), (F.col("rating") >= 4).cast("double"))).alias("satisfied_share"),
    ])


def departments(convs: DataFrame, matter_departments: DataFrame) -> DataFrame:
    """Satisfaction and outcomes per responsible department (``matter_departments``: matter,
    department); matters without a department count under ``unassigned``."""
    joined = (convs.where(F.col("matter").isNotNull())
              .join(F.broadcast(matter_departments), "matter", "left")
              .withColumn("department", F.coalesce("department", F.lit("unassigned"))))
    return _cube(joined, ["department"], [
        F.count("*").alias("conversations"),
        F.count("rating").alias("rated"),
        F.avg("rating").alias("rating_avg"),
        F.avg(F.when(F.col("rating").isNotNull(), (F.col("rating") >= 4).cast("double"))).alias("satisfied_share"),
        F.avg((F.col("outcome") == "unresolved").cast("double")).alias("unresolved_rate"),
    ])


def sunburst(convs: DataFrame) -> DataFrame:
    """Conversations by channel -> matter asked for -> outcome (all modes)."""
    return (convs.withColumn("matter", F.coalesce("matter", F.lit("other")))
            .groupBy("channel", "matter", "outcome").agg(F.count("*").alias("conversations")))


def unanswered_questions(turns: DataFrame, convs: DataFrame) -> DataFrame:
    """What people asked that the assistant did not answer well, counted per distinct text:
    fallbacks, low-confidence turns, and the requests of conversations rated 1-2."""
    bad = convs.where(F.col("rating") <= 2).select("conversation_id", F.lit(True).alias("_bad_rating"))
    request = ~F.coalesce(F.col("topic"), F.lit("")).isin(*NON_REQUEST_TOPICS)
    picked = (turns.join(bad, "conversation_id", "left")
              .where(F.col("fallback") | ((F.coalesce("confidence", F.lit(1.0)) < LOW_CONFIDENCE) & request)
                     | (F.coalesce("_bad_rating", F.lit(False)) & request & F.col("is_matter")))
              .withColumn("text", F.trim("text")).where(F.length("text") >= 2))
    return picked.groupBy("lang", "text").agg(
        F.count("*").alias("count"),
        F.sum(F.col("fallback").cast("int")).alias("fallbacks"),
    )
