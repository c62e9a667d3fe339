"""The same job on a real standalone Spark cluster: a master and one worker started from the
pyspark package on this machine, the job sent with spark-submit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import pyspark
from tests.conftest import free_port

SPARK_HOME = Path(pyspark.__file__).resolve().parent
PROJECT = Path(__file__).resolve().parents[2]


def _wait_for_worker(ui: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = httpx.get(f"{ui}/json/", timeout=3).json()
            if any(w.get("state") == "ALIVE" for w in state.get("workers", [])):
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1)
    raise TimeoutError("the Spark worker never registered with the master")


@pytest.fixture(scope="module")
def standalone_cluster(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(SPARK_HOME=str(SPARK_HOME), SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable,
               SPARK_LOG_DIR=str(tmp_path_factory.mktemp("spark-logs")))
    port, ui_port, worker_ui = free_port(), free_port(), free_port()
    spark_class = str(SPARK_HOME / "bin" / "spark-class")
    master = subprocess.Popen([spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                               "--port", str(port), "--webui-port", str(ui_port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"spark://127.0.0.1:{port}"
    worker = subprocess.Popen([spark_class, "org.apache.spark.deploy.worker.Worker", url, "--cores", "2",
                               "--memory", "1g", "--webui-port", str(worker_ui),
                               "--work-dir", str(tmp_path_factory.mktemp("spark-work"))], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_worker(f"http://127.0.0.1:{ui_port}")
        yield url, env
    finally:
        for process in (worker, master):
            process.terminate()
        for process in (worker, master):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.slow
def test_spark_submit_on_a_standalone_cluster(standalone_cluster, hand_made_logs, tmp_path) -> None:
    url, env = standalone_cluster
    out, database = tmp_path / "out", tmp_path / "cluster.db"
    env = dict(env, CIVIC_ENVIRONMENT="test", CIVIC_VAR_DIR=str(tmp_path))
    command = [str(SPARK_HOME / "bin" / "spark-submit"), "--master", url, "--conf", "spark.executor.memory=512m",
               "--conf", "spark.sql.shuffle.partitions=2", "--conf", "spark.ui.enabled=false",
               str(PROJECT / "analytics" / "spark_job.py"), "--logs", hand_made_logs, "--out", str(out),
               "--database-url", f"sqlite:///{database}"]
    done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    # spark-submit's Python runner sends the driver's stderr (our progress) to its stdout
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-1500:])
    assert "on the spark-submit master" in done.stdout + done.stderr
    rates = json.loads((out / "rates.json").read_text(encoding="utf-8"))
    total = next(r for r in rates if r["channel"] == "all" and r["mode"] == "all")
    assert (total["turns"], total["conversations"], total["unresolved_conversations"]) == (11, 5, 2)
    groups = json.loads((out / "faq_candidates.json").read_text(encoding="utf-8"))
    assert sum(g["size"] for g in groups) == 4  # the four unanswered questions of the hand-made log
    from analytics import store
    from knowledge.db import make_engine, make_sessionmaker

    engine = make_engine(f"sqlite:///{database}")
    with make_sessionmaker(engine)() as session:
        period = store.period(session)
        assert (period.since.isoformat(), period.until.isoformat(), period.events) == ("2024-03-04", "2024-03-10", 11)
    engine.dispose()
