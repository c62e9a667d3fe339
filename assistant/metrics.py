"""The gateway's Prometheus metrics (``GET /metrics``, token only: see the route).

What is counted where:

* every HTTP request's latency, by route template, channel, method and status class (the
  ``RequestTelemetry`` middleware);
* every turn, by channel, topic and outcome (a turn listener of the conversation core, so every
  channel is counted the same way; :func:`assistant.core.outcome.outcome_of`), and its time in the core;
* WeChat deliveries by the way they were answered (``deferred``: not ready within the 5-second
  window, answered later through the customer-service API) and customer-service messages by result;
* the bounded worker pools' queued and running jobs (sampled every second and at each scrape);
* at scrape time, by the worker that answers it: the checks ``/readyz`` makes (model, database,
  Redis, action server) as ``civic_dependency_up``, and the model and catalogue versions as info.

Several workers (``CIVIC_WORKERS`` > 1) each count their own requests; prometheus-client's
multiprocess mode writes every worker's values to files in ``var/metrics/`` and whichever worker
is scraped adds them all up (:mod:`assistant.metrics_workers` prepares it before the workers
start). A gateway with several workers that finds the mode off refuses to start instead of
publishing one worker's share as the total.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.metrics_core import Metric

from assistant.core.outcome import outcome_of
from assistant.core.topics import TOPICS
from assistant.core.turns import Turn, TurnResult
from assistant.errors import ConfigError

#: Seconds. Dense below a second (chat turns), then WeChat's 4 s budget and 5 s limit.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 4.0, 5.0, 10.0, 30.0)

#: Path prefix -> channel, first match wins; everything else is channel "none".
CHANNEL_PREFIXES: Sequence[Tuple[str, str]] = (
    ("/api/v1/kiosk/", "kiosk"),
    ("/api/v1/voice", "kiosk"),  # the spoken kiosk turn
    ("/api/v1/chat", "web"),
    ("/channels/wechat", "wechat"),
    ("/webhooks/rest/", "rest"),
)


def channel_for(path: str) -> str:
    return next((channel for prefix, channel in CHANNEL_PREFIXES if path.startswith(prefix)), "none")


def status_class(status: int) -> str:
    return f"{status // 100}xx"


@dataclass(frozen=True)
class Snapshot:
    """What the scraped worker finds at scrape time: ``/readyz``'s checks (name -> passed, only
    those configured) and the versions being served."""

    checks: Dict[str, bool] = field(default_factory=dict)
    model_version: str = "unknown"
    catalogue_version: str = "unknown"
    catalogue_matters: int = 0


def snapshot_families(snapshot: Snapshot) -> List[Metric]:
    """The scrape-time metrics, as families (pure: a test can read them without a gateway)."""
    up = GaugeMetricFamily("civic_dependency_up", "1 when the readiness check passes (as /readyz), else 0",
                           labels=["dependency"])
    for name, passed in sorted(snapshot.checks.items()):
        up.add_metric([name], 1.0 if passed else 0.0)
    model = InfoMetricFamily("civic_model", "The Rasa model this gateway serves (its file's input hash)")
    model.add_metric([], {"version": snapshot.model_version})
    catalogue = InfoMetricFamily("civic_catalogue", "The service-matter catalogue this gateway serves")
    catalogue.add_metric([], {"version": snapshot.catalogue_version, "matters": str(snapshot.catalogue_matters)})
    return [up, model, catalogue]


class _Families:
    """A collector over fixed families, to render them with prometheus-client's own writer."""

    def __init__(self, families: List[Metric]) -> None:
        self._families = families

    def collect(self) -> List[Metric]:
        return self._families


def multiprocess_problem(expected: Path) -> Optional[str]:
    """Why prometheus-client is not writing this worker's values to ``expected``, or ``None``."""
    from prometheus_client import values

    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not getattr(values.ValueClass, "_multiprocess", False) or not configured:
        return "prometheus-client is not in multiprocess mode"
    if Path(configured).resolve() != expected.resolve():
        return f"PROMETHEUS_MULTIPROC_DIR is {configured}, not {expected}"
    if not expected.is_dir():
        return f"{expected} does not exist"
    return None


class Metrics:
    """The gateway's metrics, built once per app in its lifespan and handed to their writers."""

    def __init__(self, multiprocess_dir: Optional[Path] = None) -> None:
        if multiprocess_dir is not None:
            problem = multiprocess_problem(multiprocess_dir)
            if problem:
                raise ConfigError(f"CIVIC_WORKERS > 1 needs each worker's metrics in {multiprocess_dir}: "
                                  f"{problem}; start the gateway with `civic serve`, or set "
                                  f"PROMETHEUS_MULTIPROC_DIR={multiprocess_dir} (emptied) before the workers start")
        self.multiprocess_dir = multiprocess_dir
        self.registry = CollectorRegistry()
        registry = self.registry
        self.requests = Histogram("civic_http_request_duration_seconds", "HTTP request latency, whole body sent",
                                  ["route", "channel", "method", "status"], buckets=LATENCY_BUCKETS,
                                  registry=registry)
        self.turns = Counter("civic_turns", "Conversation turns by channel, topic and outcome",
                             ["channel", "topic", "outcome"], registry=registry)
        self.turn_seconds = Histogram("civic_turn_duration_seconds", "Time of a turn in the conversation core",
                                      ["channel"], buckets=LATENCY_BUCKETS, registry=registry)
        self.wechat_replies = Counter(
            "civic_wechat_replies", "WeChat deliveries by how they were answered: passive (within the "
            "budget), deferred (past it: customer-service API), duplicate, after_retry, apology", ["way"],
            registry=registry)
        self.wechat_customer_service = Counter(
            "civic_wechat_customer_service_messages", "Customer-service API messages: sent, kept (window "
            "closed or WeChat busy: sent when the user writes again), failed, unconfigured", ["result"],
            registry=registry)
        self.pool_queued = Gauge("civic_pool_queued_jobs", "Jobs waiting for a thread of a bounded worker pool",
                                 ["pool"], multiprocess_mode="livesum", registry=registry)
        self.pool_running = Gauge("civic_pool_running_jobs", "Jobs running on a bounded worker pool",
                                  ["pool"], multiprocess_mode="livesum", registry=registry)

    # --- writers ------------------------------------------------------------------------------------
    async def on_turn(self, turn: Turn, result: TurnResult, elapsed: float) -> None:
        """The conversation core's turn listener (answered and apologised turns alike)."""
        topic = result.topic if result.topic in TOPICS else ("none" if result.topic is None else "other")
        self.turns.labels(turn.channel, topic, outcome_of(result)).inc()
        self.turn_seconds.labels(turn.channel).observe(elapsed)

    def observe_request(self, route: str, path: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, channel_for(path), method, status_class(status)).observe(seconds)

    def wechat_reply(self, way: str) -> None:
        self.wechat_replies.labels(way).inc()

    def wechat_messages(self, result: str, count: int) -> None:
        if count > 0:
            self.wechat_customer_service.labels(result).inc(count)

    def sample_pools(self, pools: Mapping[str, object]) -> None:
        """Queue depth and running jobs of each pool (``WorkerPool.queued`` / ``taken``)."""
        for name, pool in pools.items():
            queued = int(getattr(pool, "queued", 0))
            self.pool_queued.labels(name).set(queued)
            self.pool_running.labels(name).set(int(getattr(pool, "taken", 0)) - queued)

    # --- exposition ---------------------------------------------------------------------------------
    def render(self, snapshot: Snapshot) -> bytes:
        """The text exposition: every worker's values (multiprocess) or this one's, then the
        snapshot. Blocking in multiprocess mode (reads the workers' files): call it in a thread."""
        if self.multiprocess_dir is not None:
            from prometheus_client.multiprocess import MultiProcessCollector

            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=str(self.multiprocess_dir))
        else:
            registry = self.registry
        scraped = CollectorRegistry()
        scraped.register(_Families(snapshot_families(snapshot)))  # type: ignore[arg-type]
        return generate_latest(registry) + generate_latest(scraped)

    def close(self) -> None:
        """This worker stops: its pool gauges leave the sums (its counters stay counted)."""
        if self.multiprocess_dir is not None:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid(), str(self.multiprocess_dir))


async def keep_sampling(metrics: Metrics, pools: Mapping[str, object], every: float = 1.0) -> None:
    """Keep the pools' queue depths current in this worker's metrics, until cancelled (with several
    workers the scraped one cannot read the others' pools, only what they last wrote)."""
    while True:
        metrics.sample_pools(pools)
        await asyncio.sleep(every)


_LAST_CATALOGUE: List[Tuple[object, str, int]] = []  # (the catalogue object, its digest, matters)


def catalogue_version() -> Tuple[str, int]:
    """A short digest of the catalogue this process serves, and its number of matters. Any change to
    any fact changes the digest; it is computed once per loaded catalogue."""
    from knowledge.catalogue import get_catalogue

    catalogue = get_catalogue()
    if not _LAST_CATALOGUE or _LAST_CATALOGUE[0][0] is not catalogue:
        content = {"matters": {k: v.dict() for k, v in sorted(catalogue.matters.items())},
                   "events": {k: v.dict() for k, v in sorted(catalogue.events.items())}}
        digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:12]
        _LAST_CATALOGUE[:] = [(catalogue, digest, len(catalogue.matters))]
    _, digest, matters = _LAST_CATALOGUE[0]
    return digest, matters
