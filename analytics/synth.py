"""Realistic synthetic interaction logs, for demos, tests and benchmarks (``civic logs synth``).

Realistic where the analysis looks: matters follow the seasons (tax settlement March-June,
resident medical insurance at the end of the year, passports before the summer holidays, school
enrolment in late summer), hours follow the channels (the kiosk only while the hall is open,
WeChat also in the evening), elderly people use the kiosk more and ask about pensions and
allowances, about one in eight conversations is in English, some questions are ones the
assistant cannot answer (grouped themes, as the FAQ analysis should find), and conversations
that went wrong get worse ratings.

Vectorised with numpy and written with pyarrow, so 5 million events take well under a minute.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from analytics import synth_texts as T
from analytics.schema import CHANNELS, LOCAL_UTC_OFFSET_HOURS, PARTITION, TURN_SCHEMA
from assistant.core.topics import MATTERS

US_PER_HOUR = 3_600_000_000
US_PER_DAY = 24 * US_PER_HOUR

# Kinds of turn.
QUESTION, UNANSWERED, BOOK, CASE, HALL, MATERIALS, AFFIRM, HANDOFF, GOODBYE, RATING = range(10)
_FOLLOW_KINDS = (BOOK, CASE, HALL, MATERIALS, AFFIRM)
_FOLLOW_NAMES = ("book_appointment", "case_status", "service_hall_info", "materials", "affirm")

_HOURS = {  # relative traffic per local hour, by channel
    "wechat": [1, .5, .3, .2, .2, .4, 1, 3, 6, 8, 8, 7, 5, 5, 6, 6, 6, 5, 5, 6, 7, 7, 5, 2],
    "web": [.5, .3, .2, .1, .1, .2, .5, 2, 5, 9, 10, 9, 6, 7, 9, 9, 8, 6, 4, 4, 4, 3, 2, 1],
    "kiosk": [0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 10, 8, 4, 3, 8, 9, 7, 0, 0, 0, 0, 0, 0, 0],
}
_ELDERLY_SHARE = {"wechat": 0.14, "web": 0.05, "kiosk": 0.38}
_ENGLISH_SHARE = {"wechat": 0.07, "web": 0.2, "kiosk": 0.1}
_BASE = {"id_card": 9, "household_registration": 6, "passport": 7, "residence_permit": 5,
         "social_security": 9, "pension_certification": 5, "medical_insurance": 9, "provident_fund": 8,
         "business_license": 4, "marriage_registration": 3, "birth_registration": 3, "driver_license": 5,
         "elderly_allowance": 2, "property_registration": 4, "individual_tax": 5, "disability_certificate": 1,
         "social_security_card": 4, "food_business_permit": 2, "pension_claim": 3, "death_registration": 1,
         "funeral_subsidy": 1}
_SEASON = {  # matter -> {month: multiplier}
    "individual_tax": {3: 3.0, 4: 3.0, 5: 2.5, 6: 2.5, 1: 0.6, 12: 0.6},
    "medical_insurance": {9: 1.8, 10: 2.2, 11: 2.6, 12: 2.6},
    "social_security": {12: 1.6, 1: 1.5},
    "passport": {1: 1.6, 6: 1.8, 7: 2.2, 8: 1.8},
    "household_registration": {7: 1.8, 8: 2.0, 9: 1.5},
    "residence_permit": {7: 1.5, 8: 1.8, 9: 1.6},
    "marriage_registration": {2: 1.6, 5: 1.8, 10: 1.5},
    "driver_license": {7: 1.5, 8: 1.5},
    "pension_certification": {1: 1.6, 7: 1.4},
}
_ELDERLY_TASTE = {"pension_certification": 5, "elderly_allowance": 6, "medical_insurance": 2,
                  "disability_certificate": 2.5, "id_card": 1.2, "business_license": 0.1,
                  "driver_license": 0.3, "marriage_registration": 0.1, "individual_tax": 0.3,
                  "passport": 0.5, "birth_registration": 0.2,
                  "pension_claim": 3, "funeral_subsidy": 3, "death_registration": 2,
                  "social_security_card": 1.5, "food_business_permit": 0.2}
_HARD_MATTERS = {"property_registration", "household_registration", "social_security"}
_RATING_P = {  # 1..5
    "good": [0.02, 0.03, 0.10, 0.35, 0.50],
    "hard": [0.05, 0.10, 0.20, 0.35, 0.30],
    "bad": [0.20, 0.25, 0.30, 0.17, 0.08],
}


def matter_weights(month: int, elderly: bool) -> np.ndarray:
    weights = np.array([
        _BASE[m] * _SEASON.get(m, {}).get(month, 1.0) * (_ELDERLY_TASTE.get(m, 1.0) if elderly else 1.0)
        for m in MATTERS
    ])
    return weights / weights.sum()


class _Pool:
    """Strings in blocks, so a row picks ``block start + random offset`` without Python loops."""

    def __init__(self) -> None:
        self.strings: List[str] = []
        self.blocks: Dict[Tuple, Tuple[int, int]] = {}

    def add(self, key: Tuple, items: List[str]) -> None:
        self.blocks[key] = (len(self.strings), len(items))
        self.strings.extend(items)

    def pick(self, keys: List[Tuple], which: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        starts = np.array([self.blocks[k][0] for k in keys])[which]
        counts = np.array([self.blocks[k][1] for k in keys])[which]
        return starts + (rng.random(len(which)) * counts).astype(np.int64)


def _text_pool() -> _Pool:
    pool = _Pool()
    pool.add(("empty",), [""])
    for lang in (0, 1):
        pool.add(("prefix", lang), T.EN_PREFIXES if lang else T.ZH_PREFIXES)
        pool.add(("suffix", lang), T.EN_SUFFIXES if lang else T.ZH_SUFFIXES)
        for matter in MATTERS:
            pool.add(("q", matter, lang), T.MATTER_QUESTIONS[matter][lang])
        for name in _FOLLOW_NAMES:
            pool.add(("f", name, lang), T.FOLLOW_UPS[name][1 + lang])
        pool.add(("handoff", lang), T.HANDOFF_TEXTS[lang])
        pool.add(("bye", lang), T.GOODBYE_TEXTS[lang])
        for score, texts in T.RATING_TEXTS.items():
            pool.add(("rating", score, lang), texts[lang])
        for theme, phrasings in enumerate(T.UNANSWERED[lang]):
            pool.add(("u", theme, lang), phrasings)
    return pool


def _hex_ids(values: np.ndarray) -> pa.Array:
    return pa.array([f"{v:016x}" for v in values.tolist()], pa.string())


def generate(events: int, days: int, until: date, seed: int = 7) -> pa.Table:
    """``events`` turn records spread over the ``days`` days ending with ``until`` (local days)."""
    if events < 1 or days < 1:
        raise ValueError("events and days must be at least 1")
    rng = np.random.default_rng(seed)
    n_conv = int(events / 2.5) + 16
    n_turns = np.minimum(1 + rng.poisson(1.9, n_conv), 8)
    while n_turns.sum() < events:
        n_turns = np.concatenate([n_turns, np.minimum(1 + rng.poisson(1.9, n_conv), 8)])
    ends = np.cumsum(n_turns)
    n_conv = int(np.searchsorted(ends, events) + 1)
    n_turns = n_turns[:n_conv].copy()
    n_turns[-1] -= int(ends[n_conv - 1] - events)

    # --- per conversation -------------------------------------------------------------------------
    first_day = until - timedelta(days=days - 1)
    day_dates = [first_day + timedelta(days=i) for i in range(days)]
    weekday = np.array([d.weekday() for d in day_dates])
    day_weight = np.where(weekday == 5, 0.55, np.where(weekday == 6, 0.45, 1.0))
    day = rng.choice(days, n_conv, p=day_weight / day_weight.sum())
    channel = rng.choice(3, n_conv, p=[0.5, 0.3, 0.2])
    channel[(channel == 2) & (weekday[day] == 6)] = 0  # the hall is closed on Sundays
    hour = np.empty(n_conv, dtype=np.int64)
    for c, name in enumerate(CHANNELS):
        mask = channel == c
        weights = np.array(_HOURS[name], dtype=float)
        hour[mask] = rng.choice(24, int(mask.sum()), p=weights / weights.sum())
    saturday_kiosk = (channel == 2) & (weekday[day] == 5)
    hour[saturday_kiosk] = rng.choice([9, 10, 11], int(saturday_kiosk.sum()))
    elderly = rng.random(n_conv) < np.array([_ELDERLY_SHARE[c] for c in CHANNELS])[channel]
    english = rng.random(n_conv) < np.array([_ENGLISH_SHARE[c] for c in CHANNELS])[channel] * np.where(elderly, 0.3, 1)
    lang = english.astype(np.int64)
    month = np.array([d.month for d in day_dates])[day]
    matter = np.empty(n_conv, dtype=np.int64)
    for m in np.unique(month):
        for old in (False, True):
            mask = (month == m) & (elderly == old)
            matter[mask] = rng.choice(len(MATTERS), int(mask.sum()), p=matter_weights(int(m), old))
    first_unanswered = rng.random(n_conv) < np.where(elderly, 0.15, 0.09) + 0.03 * english
    rates = (rng.random(n_conv) < 0.32) & (n_turns >= 2)
    n_themes = np.array([len(T.UNANSWERED[0]), len(T.UNANSWERED[1])])
    theme_w = [1 / np.arange(1, n + 1) ** 0.8 for n in n_themes]  # a few themes dominate
    theme = np.where(lang == 0, rng.choice(n_themes[0], n_conv, p=theme_w[0] / theme_w[0].sum()),
                     rng.choice(n_themes[1], n_conv, p=theme_w[1] / theme_w[1].sum()))
    users = rng.integers(0, max(1, n_conv // 2), n_conv, dtype=np.int64)

    # --- per turn --------------------------------------------------------------------------------
    conv = np.repeat(np.arange(n_conv), n_turns)
    starts = np.cumsum(n_turns) - n_turns
    k = np.arange(events) - starts[conv]
    last = k == n_turns[conv] - 1
    r = rng.random(events)
    follow = np.array(_FOLLOW_KINDS)[rng.choice(5, events, p=[0.25, 0.18, 0.12, 0.33, 0.12])]
    kind = np.where(r < 0.06, UNANSWERED, np.where(r < 0.085, HANDOFF, follow))
    kind = np.where(last & (n_turns[conv] >= 3) & (rng.random(events) < 0.4), GOODBYE, kind)
    kind = np.where((k == 1) & first_unanswered[conv] & (rng.random(events) < 0.3), HANDOFF, kind)
    kind = np.where(last & rates[conv], RATING, kind)
    kind = np.where(k == 0, np.where(first_unanswered[conv], UNANSWERED, QUESTION), kind)
    troubled = np.bincount(conv, weights=np.isin(kind, (UNANSWERED, HANDOFF)), minlength=n_conv) > 0
    hard = np.isin(np.array(MATTERS)[matter], list(_HARD_MATTERS))
    rating = np.zeros(n_conv, dtype=np.int64)
    for name, mask in (("bad", troubled), ("hard", ~troubled & hard), ("good", ~troubled & ~hard)):
        rating[mask] = rng.choice(5, int(mask.sum()), p=_RATING_P[name]) + 1
    turn_rating = np.where(kind == RATING, rating[conv], 0)

    # --- texts -------------------------------------------------------------------------------------
    pool = _text_pool()
    tl = lang[conv]
    keys: List[Tuple] = [("empty",)]
    block = np.zeros(events, dtype=np.int64)

    def key_index(key: Tuple) -> int:
        keys.append(key)
        return len(keys) - 1

    for lg in (0, 1):
        sel_lang = tl == lg
        for mi, name in enumerate(MATTERS):
            block[sel_lang & (kind == QUESTION) & (matter[conv] == mi)] = key_index(("q", name, lg))
        for fk, name in zip(_FOLLOW_KINDS, _FOLLOW_NAMES):
            block[sel_lang & (kind == fk)] = key_index(("f", name, lg))
        block[sel_lang & (kind == HANDOFF)] = key_index(("handoff", lg))
        block[sel_lang & (kind == GOODBYE)] = key_index(("bye", lg))
        for score in range(1, 6):
            block[sel_lang & (turn_rating == score)] = key_index(("rating", score, lg))
        for th in range(n_themes[lg]):
            block[sel_lang & (kind == UNANSWERED) & (theme[conv] == th)] = key_index(("u", th, lg))
    core_text = pool.pick(keys, block, rng)
    framed = np.isin(kind, (QUESTION, UNANSWERED))
    pre = np.where(framed, pool.pick([("prefix", 0), ("prefix", 1)], tl, rng), 0)
    suf = np.where(framed, pool.pick([("suffix", 0), ("suffix", 1)], tl, rng), 0)
    strings = pa.array(pool.strings, pa.string())
    text = pc.binary_join_element_wise(strings.take(pre), strings.take(core_text), strings.take(suf), "")

    # --- intents, topics, numbers ------------------------------------------------------------------
    names = list(MATTERS) + ["nlu_fallback", "out_of_scope", "book_appointment", "case_status",
                             "service_hall_info", "affirm", "human_handoff", "goodbye", "feedback"]
    at = {n: i for i, n in enumerate(names)}
    m_of_turn = matter[conv]
    intent_table = {QUESTION: None, UNANSWERED: "nlu_fallback", BOOK: "book_appointment",
                    CASE: "case_status", HALL: "service_hall_info", MATERIALS: None, AFFIRM: "affirm",
                    HANDOFF: "human_handoff", GOODBYE: "goodbye", RATING: "feedback"}
    intent = m_of_turn.copy()
    topic = m_of_turn.copy()
    for kd, name in intent_table.items():
        if name is not None:
            intent[kind == kd] = at[name]
        if kd in (UNANSWERED, BOOK, CASE, HALL, HANDOFF, GOODBYE, RATING):
            topic[kind == kd] = at["out_of_scope" if kd == UNANSWERED else name]
    confidence = 0.55 + 0.45 * rng.beta(6, 1.4, events)
    unsure = rng.random(events) < 0.05
    confidence = np.where(unsure, rng.uniform(0.48, 0.62, events), confidence)
    confidence = np.where(kind == UNANSWERED, rng.uniform(0.1, 0.45, events), confidence)
    latency = rng.lognormal(np.log(160), 0.45, events) * np.where(channel[conv] == 2, 1.4, 1.0)

    base_local = np.array([(datetime(d.year, d.month, d.day) - datetime(1970, 1, 1)).days for d in day_dates],
                          dtype=np.int64) * US_PER_DAY
    conv_start = base_local[day] + hour * US_PER_HOUR + rng.integers(0, US_PER_HOUR, n_conv)
    gaps = rng.integers(8_000_000, 90_000_000, events)
    gaps[k == 0] = 0
    offset = np.cumsum(gaps) - np.cumsum(gaps)[starts][conv]
    local_us = conv_start[conv] + offset
    ts_utc = local_us - LOCAL_UTC_OFFSET_HOURS * US_PER_HOUR
    day_text = pa.array([d.isoformat() for d in day_dates] + [(until + timedelta(days=1)).isoformat()])
    local_day = np.minimum((local_us - base_local[0]) // US_PER_DAY, days)

    conv_ids = rng.integers(0, 2**63 - 1, n_conv, dtype=np.int64)
    user_ids = (users * 0x9E3779B1 + seed) & 0x7FFF_FFFF_FFFF_FFFF
    channel_names = pa.array(list(CHANNELS))
    columns = {
        "ts": pa.array(ts_utc, pa.timestamp("us", tz="UTC")),
        "conversation_id": _hex_ids(conv_ids).take(pa.array(conv)),
        "user_hash": _hex_ids(user_ids).take(pa.array(conv)),
        "channel": channel_names.take(pa.array(channel[conv])),
        "mode": pa.array(["standard", "elderly"]).take(pa.array(elderly[conv].astype(np.int64))),
        "lang": pa.array(["zh", "en"]).take(pa.array(tl)),
        "text": text,
        "intent": pa.array(names).take(pa.array(intent)),
        "topic": pa.array(names).take(pa.array(topic)),
        "confidence": pa.array(confidence.astype(np.float32)),
        "fallback": pa.array(kind == UNANSWERED),
        "handoff": pa.array(kind == HANDOFF),
        "latency_ms": pa.array(latency.astype(np.float32)),
        "rating": pa.array(np.where(turn_rating > 0, turn_rating, 0).astype(np.int8),
                           mask=turn_rating == 0),
    }
    table = pa.table(columns, schema=TURN_SCHEMA)
    return table.append_column(PARTITION, day_text.take(pa.array(local_day)))


def write(table: pa.Table, out: str, max_rows_per_file: int = 1_000_000) -> None:
    """Write a generated table as hive-partitioned Parquet (``date=YYYY-MM-DD``), replacing days."""
    Path(out).mkdir(parents=True, exist_ok=True) if "://" not in out else None
    ds.write_dataset(
        table, out, format="parquet",
        partitioning=ds.partitioning(pa.schema([(PARTITION, pa.string())]), flavor="hive"),
        existing_data_behavior="delete_matching", basename_template="synth-{i}.parquet",
        max_rows_per_file=max_rows_per_file, max_rows_per_group=256_000,
        file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
    )


def synthesize(out: str, events: int, days: int, until: Optional[date] = None, seed: int = 7) -> pa.Table:
    table = generate(events, days, until or (date.today() - timedelta(days=1)), seed)
    write(table, out)
    return table
