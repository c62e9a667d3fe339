"""The demand analysis job: Parquet turn logs -> figures in the database and JSON files.

Runs the same way from ``civic analyze`` and from ``spark-submit analytics/spark_job.py ...`` on a
cluster (the driver then ships the ``analytics`` package to the executors itself). Reads only
the ``date=`` partitions of the period, builds the figures with :mod:`analytics.transforms`,
groups unanswered questions with :mod:`analytics.faq`, and replaces the period's results.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Dict, List, Optional

if __package__ in (None, ""):  # spark-submit runs this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyspark.sql import DataFrame, SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

from analytics import faq, transforms  # noqa: E402
from analytics.departments import matter_departments  # noqa: E402
from assistant.errors import InputError  # noqa: E402

#: the most unanswered texts a period keeps for the FAQ loop's before/after counts
UNANSWERED_ROWS = 5000

Progress = Callable[[str], None]


@dataclass
class JobResult:
    since: date
    until: date
    events: int
    conversations: int
    figures: Dict[str, List[dict]]
    groups: List[dict]
    seconds: float
    timings: Dict[str, float] = field(default_factory=dict)


def read_logs(spark: SparkSession, logs: str, since: Optional[date], until: Optional[date]) -> DataFrame:
    """The turn records of the period; partition pruning keeps other days unread."""
    try:
        df = spark.read.option("mergeSchema", "false").parquet(logs)
    except Exception as err:  # AnalysisException: path missing or no Parquet
        raise InputError(f"no readable turn logs at {logs}: {str(err).splitlines()[0][:200]}") from err
    if "date" not in df.columns:
        raise InputError(f"{logs} is not a date-partitioned turn log (expected date=YYYY-MM-DD folders)")
    if since:
        df = df.where(F.col("date") >= F.lit(since))
    if until:
        df = df.where(F.col("date") <= F.lit(until))
    return df


def _rows(df: DataFrame) -> List[dict]:
    return [row.asDict(recursive=True) for row in df.collect()]


def ship_package(spark: SparkSession) -> None:
    """Executors need ``analytics`` (and ``assistant.core.topics``) for the Python UDFs; zip them
    and add the zip, unless the master is local (same process tree, same files)."""
    master = spark.sparkContext.master
    if master.startswith("local"):
        return
    root = Path(__file__).resolve().parent.parent
    target = Path(tempfile.mkdtemp(prefix="civic-job-")) / "civic-analytics.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for package in ("analytics", "assistant"):
            for path in (root / package).rglob("*.py"):
                archive.write(path, path.relative_to(root))
    spark.sparkContext.addPyFile(str(target))


def analyse(spark: SparkSession, logs: str, since: Optional[date] = None, until: Optional[date] = None,
            progress: Progress = lambda line: None, max_k: int = 80) -> JobResult:
    started = time.perf_counter()
    timings: Dict[str, float] = {}
    ship_package(spark)

    def step(name: str, action: Callable[[], object]) -> object:
        begun = time.perf_counter()
        progress(f"  {name} ...")
        value = action()
        timings[name] = round(time.perf_counter() - begun, 2)
        progress(f"  {name} done in {timings[name]:.1f}s")
        return value

    raw = read_logs(spark, logs, since, until)
    # The Parquet is read once: the prepared turns are cached, and every turn-count figure is a
    # sum over their cells (a few thousand rows), so no figure scans the turns again.
    turns = transforms.prepare(raw).cache()
    cells = transforms.cells(turns).cache()
    span = step("reading logs", lambda: cells.agg(F.sum("turns").alias("n"), F.min("day").alias("lo"),
                                                   F.max("day").alias("hi")).collect()[0])
    if not span["n"]:
        raise InputError(f"no turn records in {logs} between {since or 'the start'} and {until or 'the end'}")
    convs = transforms.conversations(turns).cache()
    n_convs = step("conversations", convs.count)
    departments = spark.createDataFrame(sorted(matter_departments().items()), "matter string, department string")
    figures: Dict[str, List[dict]] = {}
    plan = {
        "rates": lambda: transforms.rates(turns, convs, cells),
        "daily": lambda: transforms.daily(turns, convs, cells),
        "topics": lambda: transforms.topics(turns, convs, cells),
        "hour_of_week": lambda: transforms.hour_of_week(turns, cells),
        "matters": lambda: transforms.matters(convs),
        "departments": lambda: transforms.departments(convs, departments),
        "sunburst": lambda: transforms.sunburst(convs.drop("topic_bits")),
    }
    for name, build in plan.items():
        figures[name] = step(name, lambda build=build: _rows(build()))  # type: ignore[assignment]
    questions = transforms.unanswered_questions(turns, convs).cache()
    # every unanswered text and its count: what the FAQ loop compares before and after an answer
    # was published (analytics/faq_outcome.py); the most frequent first, bounded
    figures["unanswered"] = step("unanswered", lambda: _rows(  # type: ignore[assignment]
        questions.orderBy(F.desc("count"), "text").limit(UNANSWERED_ROWS)))
    groups = step("FAQ groups", lambda: [g.to_dict() for g in faq.cluster(questions, max_k=max_k)])
    for frame in (questions, convs, cells, turns):
        frame.unpersist()
    return JobResult(since=since or span["lo"], until=until or span["hi"], events=int(span["n"]),
                     conversations=int(n_convs), figures=figures, groups=groups,  # type: ignore[arg-type]
                     seconds=round(time.perf_counter() - started, 2), timings=timings)


def write_json(result: JobResult, out: str) -> List[Path]:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    meta = {"since": result.since.isoformat(), "until": result.until.isoformat(), "events": result.events,
            "conversations": result.conversations, "seconds": result.seconds, "timings": result.timings}
    for name, rows in {**result.figures, "faq_candidates": result.groups, "summary": meta}.items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        written.append(path)
    return written


def store_result(result: JobResult, database_url: str, source: str) -> int:
    from analytics.store import ensure_tables, save_period
    from knowledge.db import make_engine, make_sessionmaker

    engine = make_engine(database_url)
    try:
        ensure_tables(engine)
        with make_sessionmaker(engine).begin() as session:
            return save_period(session, result.since, result.until, result.figures, result.groups,
                               result.events, result.conversations, source, result.seconds)
    finally:
        engine.dispose()


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"expected a date like 2024-05-31, got {text!r}") from err


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--logs", help="turn log folder or URL (default: CIVIC_ANALYTICS_LOG_PATH)")
    parser.add_argument("--since", type=parse_day, help="first local day (YYYY-MM-DD), inclusive")
    parser.add_argument("--until", type=parse_day, help="last local day (YYYY-MM-DD), inclusive")
    parser.add_argument("--master", help="Spark master (default: CIVIC_SPARK_MASTER, local[*])")
    parser.add_argument("--out", help="folder for the JSON figures (default: <var>/analytics)")
    parser.add_argument("--database-url", help="where the dashboard reads results (default: CIVIC_DATABASE_URL)")
    parser.add_argument("--no-database", action="store_true", help="only write the JSON files")
    parser.add_argument("--shuffle-partitions", type=int, default=8)


def run(args: argparse.Namespace, spark: Optional[SparkSession] = None) -> JobResult:
    """The command: settings fill what the arguments leave open."""
    from analytics.spark import session
    from assistant.settings import get_settings

    settings = get_settings()
    logs = args.logs or settings.effective_log_path
    out = args.out or str(settings.var_dir / "analytics")
    if args.since and args.until and args.since > args.until:
        raise InputError("--since must not be after --until")

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    submitted = bool(os.environ.get("PYSPARK_GATEWAY_PORT"))  # started by spark-submit
    master = args.master or (None if submitted else settings.spark_master)
    say(f"civic analyze: {logs} ({args.since or 'start'} .. {args.until or 'end'}) on {master or 'the spark-submit master'}")
    own = spark is None
    spark = spark or session(master, shuffle_partitions=args.shuffle_partitions, progress=sys.stderr.isatty())
    try:
        result = analyse(spark, logs, args.since, args.until, progress=say)
    finally:
        if own:
            spark.stop()
    files = write_json(result, out)
    say(f"  wrote {len(files)} JSON files to {out}")
    if not args.no_database:
        url = args.database_url or settings.effective_database_url
        period_id = store_result(result, url, logs)
        say(f"  stored period {result.since}..{result.until} (id {period_id}) in the database")
    say(f"civic analyze: {result.events} turns, {result.conversations} conversations, "
        f"{len(result.groups)} FAQ groups in {result.seconds:.1f}s")
    return result


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="spark_job.py", description=__doc__.splitlines()[0])
    add_arguments(parser)
    from assistant.errors import CivicError

    try:
        run(parser.parse_args(argv))
    except CivicError as err:
        print(f"civic analyze: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
