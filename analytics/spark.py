"""The one place a SparkSession is built, so the job, the tests and the benchmark agree on the
settings that change answers (time zone) or break runs (the Python of the workers)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Dict, Optional

from pyspark.sql import SparkSession

from assistant.logs import child_stderr_filtered

#: The service's local time zone: hours and days of the figures are local ones.
TIME_ZONE = "Asia/Shanghai"
#: Spark's JVM logs errors only (its INFO and WARN lines are for Spark's developers).
LOG4J_CONFIG = Path(__file__).resolve().parent / "log4j2.properties"
#: What the JVM itself prints on every start, outside log4j: Spark 4 always adds the module.
JVM_NOISE = re.compile(r"^WARNING: Using incubator modules: jdk\.incubator\.vector")


def session(master: Optional[str] = "local[2]", app: str = "civic-analytics", shuffle_partitions: int = 8,
            driver_memory: str = "2g", progress: bool = False,
            extra: Optional[Dict[str, str]] = None) -> SparkSession:
    """A SparkSession for ``master`` (``local[*]``, ``spark://host:7077``, ``yarn`` ...).

    ``PYSPARK_PYTHON`` is this interpreter: workers must run the same Python as the driver or
    jobs fail with PYTHON_VERSION_MISMATCH (and need jieba, which this venv has)."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if master and master.startswith("local"):  # one machine: no need to find a network address
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.appName(app)
        .config("spark.sql.session.timeZone", TIME_ZONE)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(shuffle_partitions))
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.showConsoleProgress", "true" if progress else "false")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.executorEnv.PYSPARK_PYTHON", sys.executable)
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{LOG4J_CONFIG}")
    )
    if master:  # None under spark-submit: its --master decides
        builder = builder.master(master)
    for key, value in (extra or {}).items():
        builder = builder.config(key, value)
    with child_stderr_filtered(JVM_NOISE):  # the JVM is started here, once per process
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
