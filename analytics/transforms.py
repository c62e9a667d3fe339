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

from typing import List, Optional, Sequence

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from analytics.schema import CHANNELS, LANGUAGES, MODES

from assistant.core.topics import CAPABILITIES, LIFE_EVENTS, MATTERS

ALL = "all"
SEGMENT = ("channel", "mode")
#: Below this confidence a turn that did not fall back still counts as "not understood".
UNDERSTOOD_CONFIDENCE = 0.6
LOW_CONFIDENCE = 0.5
#: Turns that are not a request of their own (the conversation's outcome ignores them).
NON_REQUEST_TOPICS = ("feedback", "goodbye", "greet", "repeat")
#: Topics with a bit in the conversation table's ``topic_bits`` (36 of 63 possible; at most 63 fit).
KNOWN_TOPICS = tuple(dict.fromkeys((*MATTERS, *CAPABILITIES, *LIFE_EVENTS)))


def _cube(df: DataFrame, keys: Sequence[str], aggregations: List[Column]) -> DataFrame:
    """Group by ``keys`` and every combination of channel and mode, totals labelled ``all``."""
    grouped = df.cube(*keys, *SEGMENT).agg(*aggregations, *[F.grouping(k).alias(f"_g_{k}") for k in keys])
    for key in keys:
        grouped = grouped.where(F.col(f"_g_{key}") == 0).drop(f"_g_{key}")
    return grouped.fillna(ALL, subset=list(SEGMENT))


def _literals(values: Sequence[str]) -> Column:
    return F.array(*[F.lit(v) for v in values])


def _index(column: Column, values: Sequence[str]) -> Column:
    """0-based index of ``column`` in ``values``: -1 when absent, null when ``column`` is null."""
    return F.array_position(_literals(values), column) - 1


def _code(column: str, values: Sequence[str]) -> Column:
    """:func:`_index` of a column as a long, null as 0. The logger normalises channel, mode and
    language to known values (analytics.schema), so none is absent."""
    return F.coalesce(_index(F.col(column), values), F.lit(0)).cast("long")


def _name(code: Column, values: Sequence[str]) -> Column:
    return F.element_at(_literals(values), (code + 1).cast("int"))


def prepare(turns: DataFrame) -> DataFrame:
    """Add the local day, hour and weekday (1 = Monday) and the per-turn flags, and drop what no
    figure reads (so a cached copy stays small)."""
    keep = [c for c in turns.columns if c not in ("intent", "date")]
    return (
        turns.select(*keep)
        .withColumn("day", F.to_date("ts"))
        .withColumn("hour", F.hour("ts"))
        .withColumn("dow", ((F.dayofweek("ts") + 5) % 7) + 1)
        .withColumn("understood", ~F.col("fallback") & (F.coalesce("confidence", F.lit(1.0)) >= UNDERSTOOD_CONFIDENCE))
        .withColumn("is_matter", F.col("topic").isin(*MATTERS))
    )


def cells(turns: DataFrame) -> DataFrame:
    """The turn log summed per day, hour, channel, mode and topic: every turn-count figure is a
    sum over these few thousand cells, so the job scans the turns once for all of them (the
    figure functions accept the turns or their cells)."""
    return turns.groupBy("day", "dow", "hour", *SEGMENT, F.coalesce("topic", F.lit("out_of_scope")).alias("topic")).agg(
        F.count("*").alias("turns"),
        F.sum(F.col("fallback").cast("long")).alias("fallbacks"),
        F.sum(F.col("handoff").cast("long")).alias("handoffs"),
        F.sum(F.col("understood").cast("long")).alias("understood"),
    )


def _cells(turns: DataFrame, given: Optional[DataFrame]) -> DataFrame:
    return given if given is not None else cells(turns)


def daily(turns: DataFrame, convs: DataFrame, turn_cells: Optional[DataFrame] = None) -> DataFrame:
    """Turns per day and conversations started per day, by segment (``turn_cells``: the
    :func:`cells` of ``turns`` if already computed)."""
    per_turn = _cube(_cells(turns, turn_cells), ["day"], [F.sum("turns").alias("turns")])
    per_conv = _cube(convs, ["day"], [F.count("*").alias("conversations")])
    return per_turn.join(per_conv, ["day", *SEGMENT], "left").fillna(0, subset=["conversations"])


def topics(turns: DataFrame, convs: DataFrame, turn_cells: Optional[DataFrame] = None) -> DataFrame:
    """Turns and conversations per topic with the topic's kind and its share of the segment."""
    kind = (F.when(F.col("topic").isin(*MATTERS), "matter")
            .when(F.col("topic").isin(*CAPABILITIES), "capability")
            .when(F.col("topic").isin(*LIFE_EVENTS), "life_event").otherwise("other"))
    turn_counts = _cube(_cells(turns, turn_cells), ["topic"], [F.sum("turns").alias("turns")])
    # Conversations per topic from the conversation table's topic bit set: no second shuffle of
    # (conversation, topic) pairs. Topics outside the known list (none in practice) have no bit
    # and are counted from the few turns that carry them.
    bits = convs.select(*SEGMENT, F.explode(F.array(*[
        F.when(F.shiftright("topic_bits", i).bitwiseAND(1) == 1, F.lit(t)) for i, t in enumerate(KNOWN_TOPICS)
    ])).alias("topic")).where(F.col("topic").isNotNull())
    conv_counts = _cube(bits, ["topic"], [F.count("*").alias("conversations")])
    unknown = (turns.where(~F.coalesce("topic", F.lit("out_of_scope")).isin(*KNOWN_TOPICS))
               .select("conversation_id", "topic", *SEGMENT).distinct())
    conv_counts = conv_counts.unionByName(_cube(unknown, ["topic"], [F.count("*").alias("conversations")]))
    counted = turn_counts.join(conv_counts, ["topic", *SEGMENT], "left")
    totals = counted.groupBy(*SEGMENT).agg(F.sum("turns").alias("_total"))
    return (counted.join(totals, list(SEGMENT)).withColumn("share", F.col("turns") / F.col("_total"))
            .drop("_total").withColumn("kind", kind))


def hour_of_week(turns: DataFrame, turn_cells: Optional[DataFrame] = None) -> DataFrame:
    """Turns per weekday (1 = Monday) and local hour, by segment: the heat map."""
    return _cube(_cells(turns, turn_cells), ["dow", "hour"], [F.sum("turns").alias("turns")])


def conversations(turns: DataFrame) -> DataFrame:
    """One row per conversation: what it asked for, how it ended, how it was rated.

    ``outcome`` is ``handoff`` (a person took over), ``unresolved`` (the last real request fell
    back, a bad rating (1-2), or it never reached any matter but did fall back), else ``answered``.

    "First", "last" and "earliest matter" are min/max over one long: the turn's microsecond time
    with a small code in the low bits. Aggregates over (time, string) structs would force Spark
    into a sort-based aggregation of every turn; longs keep it a hash aggregation.
    """
    us = F.unix_micros("ts")
    request = ~F.coalesce(F.col("topic"), F.lit("")).isin(*NON_REQUEST_TOPICS)
    failed = F.col("fallback") | (F.coalesce(F.col("confidence"), F.lit(1.0)) < LOW_CONFIDENCE)
    first = us * 16 + _code("channel", CHANNELS) * 4 + _code("mode", MODES) * 2 + _code("lang", LANGUAGES)
    topic_index = _index(F.coalesce("topic", F.lit("out_of_scope")), KNOWN_TOPICS).cast("int")
    topic_bit = (F.when(topic_index >= 0, F.call_function("shiftleft", F.lit(1).cast("long"), topic_index))
                 .otherwise(F.lit(0).cast("long")))
    rows = turns.groupBy("conversation_id").agg(
        F.min("ts").alias("start"),
        F.min(first).alias("_first"),
        F.count("*").alias("turns"),
        F.min(F.when(F.col("is_matter"), us * 64 + _code("topic", MATTERS))).alias("_matter"),
        F.max(F.col("fallback").cast("int")).cast("boolean").alias("any_fallback"),
        F.max(F.col("handoff").cast("int")).cast("boolean").alias("any_handoff"),
        F.max(F.when(request, us * 2 + failed.cast("long"))).alias("_last"),
        F.max(F.when(F.col("rating").isNotNull(), us * 8 + F.col("rating").cast("long"))).alias("_rating"),
        F.bit_or(topic_bit).alias("topic_bits"),
    )
    code = F.col("_first") % 16
    rating = (F.col("_rating") % 8).cast(T.ByteType())
    last_failed = (F.col("_last") % 2) == 1
    matter = F.when(F.col("_matter").isNotNull(), _name(F.col("_matter") % 64, MATTERS))
    unresolved = (F.coalesce(last_failed, F.lit(False)) | (F.coalesce(rating, F.lit(5)) <= 2)
                  | (matter.isNull() & F.col("any_fallback")))
    return rows.select(
        "conversation_id", "start", F.to_date("start").alias("day"),
        _name(F.floor(code / 4), CHANNELS).alias("channel"), _name(F.floor(code / 2) % 2, MODES).alias("mode"),
        _name(code % 2, LANGUAGES).alias("lang"), "turns",
        matter.alias("matter"), "any_fallback", "any_handoff", rating.alias("rating"),
        F.when(F.col("any_handoff"), "handoff").when(unresolved, "unresolved").otherwise("answered").alias("outcome"),
        "topic_bits",
    )


def rates(turns: DataFrame, convs: DataFrame, turn_cells: Optional[DataFrame] = None) -> DataFrame:
    """Headline numbers per segment: volumes, fallback/handoff/understood rates, elderly share,
    latency, satisfaction and the share of conversations that ended unresolved.

    Turn rates are sums over the cells; users are HyperLogLog sketches per channel and mode
    (about 1%) merged for the totals; the latency p95 is exact over latencies rounded to 1 ms,
    taken from a histogram. So the turns are scanned twice, each time into six rows or a few
    thousand, instead of once per grouping set with quantile sketches per row.
    """
    counts = _cube(_cells(turns, turn_cells), [], [
        F.sum("turns").alias("turns"),
        (F.sum("fallbacks") / F.sum("turns")).alias("fallback_rate"),
        (F.sum("handoffs") / F.sum("turns")).alias("handoff_rate"),
        (F.sum("understood") / F.sum("turns")).alias("understood_rate"),
        (F.sum(F.when(F.col("mode") == "elderly", F.col("turns")).otherwise(0)) / F.sum("turns")).alias("elderly_share"),
    ])
    per_segment = turns.groupBy(*SEGMENT).agg(
        F.hll_sketch_agg("user_hash", 14).alias("_users"),
        F.sum("latency_ms").alias("_latency"), F.count("*").alias("_n"))
    people = _cube(per_segment, [], [
        F.hll_sketch_estimate(F.hll_union_agg("_users")).alias("users"),
        (F.sum("_latency") / F.sum("_n")).alias("latency_ms_avg"),
    ])
    histogram = turns.groupBy(*SEGMENT, F.round("latency_ms").alias("_ms")).agg(F.count("*").alias("_n"))
    p95 = _cube(histogram, [], [F.percentile("_ms", 0.95, F.col("_n")).alias("latency_ms_p95")])
    per_turn = counts.join(people, list(SEGMENT)).join(p95, list(SEGMENT))
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
    fallbacks, low-confidence turns, and the requests of conversations rated 1-2.

    The badly rated conversations are few (ids only), so they are broadcast to a semi join
    with the matter turns instead of shuffling every turn to meet them."""
    request = ~F.coalesce(F.col("topic"), F.lit("")).isin(*NON_REQUEST_TOPICS)
    failed = F.col("fallback") | ((F.coalesce("confidence", F.lit(1.0)) < LOW_CONFIDENCE) & request)
    columns = ["lang", "text", "fallback"]
    bad = convs.where(F.col("rating") <= 2).select("conversation_id")
    rated_badly = (turns.where(~failed & F.col("is_matter"))
                   .join(F.broadcast(bad), "conversation_id", "left_semi").select(*columns))
    picked = (turns.where(failed).select(*columns).unionByName(rated_badly)
              .withColumn("text", F.trim("text")).where(F.length("text") >= 2))
    return picked.groupBy("lang", "text").agg(
        F.count("*").alias("count"),
        F.sum(F.col("fallback").cast("int")).alias("fallbacks"),
    )
