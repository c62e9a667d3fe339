"""FAQ candidates: group the questions the assistant did not answer, per language, with Spark
MLlib, so staff see "people keep asking about dog licences" instead of 3,000 loose lines.

Pipeline per language: tokenise (jieba search-mode words for Chinese, so 许可证 also yields 许可;
lower-cased words for English; stop words and redaction tokens dropped) -> HashingTF -> IDF ->
L2 normalisation -> KMeans with cosine distance, weighted by how often each distinct text was
asked, deliberately into more clusters than there are themes; then clusters whose centres are
similar (cosine >= ``merge_at``) are merged, so the data decides how many groups there are. Each group gets its size (questions asked), the representative question (the text
nearest the group's centre) and the most frequent examples.

Only the ``max_distinct`` most frequent distinct texts are clustered; the long tail of one-off
questions adds noise and time, not groups staff could act on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

import numpy as np
from pyspark.ml.clustering import KMeans
from pyspark.ml.feature import IDF, HashingTF, Normalizer
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

ZH_STOP = set(
    "的 了 吗 呢 啊 吧 嘛 呀 我 你 您 他 她 请问 你好 您好 想 问 一下 问下 麻烦 谢谢 怎么 怎么样 怎样 如何 "
    "什么 哪里 哪儿 在哪里 在 是 要 需要 可以 能 能不能 吗 多少 个 和 与 就 都 还 也 有 没有 这 那 "
    "一个 办 办理 去 到 给 让 把 被 对 好 下 上".split()
)
EN_STOP = set(
    "a an the i me my we our you your he she it they them is are was were be been do does did to of "
    "for in on at by with from and or but if so how what where when who which can could would should "
    "please tell hi hello thanks thank need want get about there this that any some as into out up "
    "will just also too very much many".split()
)
_TOKEN_MARK = re.compile(r"<[A-Z]+>")
_EN_WORD = re.compile(r"[a-z][a-z'\-]+|[0-9]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ZH_FILLER_CHARS = set("请问么怎吗呢啊吧哪里什")
#: Cosine similarity of two KMeans centres at which their clusters are one theme.
MERGE_AT = 0.12


def tokens_zh(text: str) -> List[str]:
    import jieba

    jieba.setLogLevel(60)
    words = jieba.lcut_for_search(_TOKEN_MARK.sub(" ", text))
    kept = [w for w in (w.strip().lower() for w in words)
            if w and w not in ZH_STOP and (_CJK.search(w) or _EN_WORD.fullmatch(w))]
    # Character pairs of longer words, so 养狗要 (a jieba mis-cut) still meets 养狗, and the
    # single characters of the question (marked ``#``, politeness and question words left out),
    # so paraphrases that share no word (狗证 / 养狗, 犬只 / 养犬) still meet; IDF keeps common
    # characters (办, 证) weak. On the 1M-event synthetic log this cut the share of questions
    # grouped under another theme from about 22% to 10%.
    pairs = [w[i:i + 2] for w in kept if len(w) >= 3 and _CJK.search(w) for i in range(len(w) - 1)]
    chars = dict.fromkeys(f"#{c}" for c in _TOKEN_MARK.sub(" ", text)
                          if _CJK.match(c) and c not in ZH_STOP and c not in _ZH_FILLER_CHARS)
    return kept + [p for p in pairs if p not in ZH_STOP and p not in kept] + list(chars)


def tokens_en(text: str) -> List[str]:
    words = _EN_WORD.findall(_TOKEN_MARK.sub(" ", text).lower())
    # A crude plural fold (permits -> permit) is enough for grouping questions.
    words = [w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w for w in words]
    return [w for w in words if w not in EN_STOP and len(w) > 1]


@dataclass
class FaqGroup:
    lang: str
    size: int  # questions asked (with repeats)
    distinct: int  # different texts
    representative: str
    examples: List[Dict[str, object]] = field(default_factory=list)  # [{"text", "count"}]
    fallbacks: int = 0

    @property
    def fingerprint(self) -> str:
        """Stable across re-runs of the same period, so a staff decision sticks to the group."""
        return hashlib.sha1(f"{self.lang}:{self.representative}".encode()).hexdigest()[:16]

    def to_dict(self) -> Dict[str, object]:
        return {**asdict(self), "fingerprint": self.fingerprint}


def over_k(n: int, max_k: int) -> int:
    """Clusters for the first, deliberately fine, KMeans pass (merged afterwards)."""
    return max(2, min(n, max_k, int(round(3 * n ** 0.5)) + 1))


def merge_clusters(centres: List[np.ndarray], weights: List[float], threshold: float) -> List[int]:
    """Average-linkage merge of KMeans centres whose cosine similarity is at least ``threshold``;
    returns, per centre, the index of the group it ends in. KMeans alone has to be told k; this
    second pass lets the data decide how many groups there are, and keeps one theme in one group
    even when KMeans split it."""
    unit = [c / (np.linalg.norm(c) or 1.0) for c in centres]
    groups: List[List[int]] = [[i] for i in range(len(centres))]
    vectors = list(unit)
    mass = list(weights)
    while len(groups) > 1:
        # All pairwise cosines of the current groups in one matrix product (a Python loop over
        # pairs of 16k-dimensional centres took seconds at k = 70).
        matrix = np.vstack(vectors)
        norms = np.linalg.norm(matrix, axis=1)
        norms[norms == 0] = 1.0
        similarity = (matrix @ matrix.T) / np.outer(norms, norms)
        similarity[np.tril_indices(len(groups))] = -np.inf
        a, b = divmod(int(np.argmax(similarity)), len(groups))
        if similarity[a, b] < threshold:
            break
        vectors[a] = (vectors[a] * mass[a] + vectors[b] * mass[b]) / (mass[a] + mass[b])
        mass[a] += mass[b]
        groups[a].extend(groups[b])
        del groups[b], vectors[b], mass[b]
    owner = [0] * len(centres)
    for g, members in enumerate(groups):
        for member in members:
            owner[member] = g
    return owner


def cluster(questions: DataFrame, max_k: int = 80, max_distinct: int = 5000,
            examples: int = 5, seed: int = 7, merge_at: float = MERGE_AT) -> List[FaqGroup]:
    """``questions``: lang, text, count[, fallbacks] (see ``transforms.unanswered_questions``).

    The most asked ``max_distinct`` texts per language are a few thousand rows at most, so they
    are collected in one action and tokenised on the driver (jieba loads its dictionary once,
    instead of once per Python worker); TF-IDF and KMeans then run in MLlib on one partition."""
    if "fallbacks" not in questions.columns:
        questions = questions.withColumn("fallbacks", F.lit(0))
    rank = F.row_number().over(Window.partitionBy("lang").orderBy(F.desc("count"), "text"))
    top = (questions.select("lang", "text", "count", "fallbacks").where(F.col("lang").isin("zh", "en"))
           .withColumn("_rank", rank).where(F.col("_rank") <= max_distinct).drop("_rank").collect())
    spark = questions.sparkSession
    groups: List[FaqGroup] = []
    for lang in ("zh", "en"):
        rows = _deduplicate([r for r in top if r["lang"] == lang], tokens_en if lang == "en" else tokens_zh)
        if not rows:  # nothing unanswered in this language (IDF cannot fit on nothing)
            continue
        frame = spark.createDataFrame(rows, _TOKENS_SCHEMA).coalesce(1)
        groups.extend(_cluster_language(frame, lang, max_k, examples, seed, merge_at))
    return sorted(groups, key=lambda g: (-g.size, g.lang, g.representative))


_TOKENS_SCHEMA = T.StructType([
    T.StructField("text", T.StringType()), T.StructField("count", T.LongType()),
    T.StructField("fallbacks", T.LongType()), T.StructField("tokens", T.ArrayType(T.StringType())),
])


def _deduplicate(rows: list, tokenise) -> List[tuple]:
    """Texts that differ only in politeness ("请问…吗") have the same tokens: one row each,
    keeping the most asked wording, so clustering works on a few hundred rows, not 10,000."""
    merged: Dict[tuple, list] = {}
    for row in rows:  # most asked first, so the first wording seen is the one kept
        tokens = tokenise(row["text"])
        if not tokens:
            continue
        key = tuple(sorted(tokens))
        if key in merged:
            merged[key][1] += int(row["count"])
            merged[key][2] += int(row["fallbacks"] or 0)
        else:
            merged[key] = [row["text"], int(row["count"]), int(row["fallbacks"] or 0), tokens]
    return [tuple(v) for v in merged.values()]


def _cluster_language(tokens: DataFrame, lang: str, max_k: int, examples: int, seed: int,
                      merge_at: float) -> List[FaqGroup]:
    tf = HashingTF(inputCol="tokens", outputCol="tf", numFeatures=1 << 12).transform(tokens)
    idf_model = IDF(inputCol="tf", outputCol="tfidf", minDocFreq=1).fit(tf)
    features = Normalizer(inputCol="tfidf", outputCol="features").transform(idf_model.transform(tf))
    features = features.select("text", "count", "fallbacks", "features").cache()
    n = features.count()
    if n < 3:
        rows = features.collect()
        features.unpersist()
        return [_group(lang, rows, np.asarray(rows[0]["features"].toArray()), examples)]
    model = KMeans(k=over_k(n, max_k), seed=seed, distanceMeasure="cosine", weightCol="count",
                   maxIter=12).fit(features)
    rows_by_cluster: Dict[int, list] = {}
    for row in model.transform(features).select("text", "count", "fallbacks", "features", "prediction").collect():
        rows_by_cluster.setdefault(int(row["prediction"]), []).append(row)
    features.unpersist()
    clusters = sorted(rows_by_cluster)
    all_centres = model.clusterCenters()  # one trip to the JVM: each call converts every centre
    centres = [np.asarray(all_centres[c]) for c in clusters]
    owner = merge_clusters(centres, [sum(r["count"] for r in rows_by_cluster[c]) for c in clusters], merge_at)
    merged: Dict[int, list] = {}
    for index, cluster_id in enumerate(clusters):
        merged.setdefault(owner[index], []).extend(rows_by_cluster[cluster_id])
    return [_group(lang, rows, np.mean([r["features"].toArray() * r["count"] for r in rows], axis=0), examples)
            for rows in merged.values()]


def _group(lang: str, rows: list, centre: np.ndarray, examples: int) -> FaqGroup:
    norm = np.linalg.norm(centre) or 1.0
    scored = sorted(rows, key=lambda r: (-float(np.dot(r["features"].toArray(), centre) / norm),
                                         -int(r["count"]), r["text"]))
    frequent = sorted(rows, key=lambda r: (-int(r["count"]), r["text"]))[:examples]
    return FaqGroup(
        lang=lang, size=int(sum(int(r["count"]) for r in rows)), distinct=len(rows),
        representative=str(scored[0]["text"]),
        examples=[{"text": str(r["text"]), "count": int(r["count"])} for r in frequent],
        fallbacks=int(sum(int(r["fallbacks"] or 0) for r in rows)),
    )


def group_of(groups: List[FaqGroup], text: str) -> Optional[FaqGroup]:
    """The group whose examples contain ``text`` (for tests and the dashboard)."""
    return next((g for g in groups if any(e["text"] == text for e in g.examples)), None)
