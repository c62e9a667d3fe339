"""Build the FastAPI gateway. ``create_app()`` is the uvicorn factory.

Engines, stores and the Rasa agent are built in the lifespan and kept on ``app.state``; routes
get them through ``deps.py``. Nothing connects at import time.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import threading
from contextlib import asynccontextmanager
from functools import partial
from typing import AsyncIterator, Callable, Dict, Optional

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from assistant import __version__
from assistant.core.conversation import ConversationCore
from assistant.core.model_store import SERVING_POINTER, serving_model
from assistant.core.rasa_backend import (InProcessRasa, RasaBackend, RemoteRasa, action_server_problem,
                                         set_rasa_telemetry)
from assistant.gateway import errors
from assistant.gateway.middleware import EdgeLimits
from assistant.gateway.telemetry import RequestTelemetry
from assistant.logs import configure, log_event
from assistant.metrics import Metrics, keep_sampling
from assistant.pools import create_pools
from assistant.ratelimit import create_rate_limiter
from assistant.settings import Settings, get_settings
from assistant.state import DURABLE_IN_REDIS, RedisStore, create_store, redis_persistence
from knowledge.db import make_engine, make_sessionmaker

#: Every router of the gateway, as "module:attribute". Adding an API or a channel is one line.
ROUTERS = (
    "assistant.gateway.routes.health:router",
    "assistant.gateway.routes.metrics:router",
    "assistant.gateway.routes.chat:router",
    "assistant.gateway.routes.matters:router",
    "channels.rasa_rest:router",
    "assistant.gateway.routes.data:router",
    "assistant.gateway.routes.pages:router",
    "channels.kiosk:router",
    "channels.wechat:router",
    "assistant.gateway.routes.voice:router",
    "assistant.gateway.routes.staff:router",
    "assistant.gateway.routes.staff_catalogue:router",
    "assistant.gateway.routes.staff_editor:router",
    "assistant.gateway.routes.staff_faq:router",
)


def schema_probe(engine: Engine, data_tokens: Dict[str, str]) -> Callable[[], Optional[str]]:
    """A readiness check that prepares the schema once the database is back, so a gateway that
    started during an outage becomes ready without a restart."""
    prepared = threading.Event()

    def probe() -> Optional[str]:
        from knowledge.schema import prepare_database

        if not prepared.is_set():
            try:
                prepare_database(engine, data_tokens)
            except Exception as err:  # still down
                return f"schema not prepared: {type(err).__name__}"
            prepared.set()
            log_event("gateway.schema.prepared")
        return None

    return probe


def check_redis_persistence(store: RedisStore, info: Dict[str, object]) -> None:
    """Say, at start and in /readyz, whether what must outlive a Redis restart will."""
    try:
        mode = redis_persistence(store.client)
    except Exception as err:  # Redis down: /readyz reports that already
        log_event("redis.persistence.unknown", error=type(err).__name__)
        return
    info["redis_persistence"] = mode
    if mode in ("off", "rdb"):
        log_event("redis.persistence.weak", level=logging.WARNING, mode=mode, at_risk=DURABLE_IN_REDIS,
                  fix="appendonly yes (docs/operations.md)")


async def build_backend(settings: Settings) -> RasaBackend:
    if settings.rasa_url:
        return RemoteRasa(settings.rasa_url, timeout=settings.reply_timeout_seconds)
    model = serving_model(settings.model_dir, settings.var_dir / SERVING_POINTER)  # the one `civic reload` named, else fresh, else newest
    if model is None:
        raise FileNotFoundError(f"no trained model in {settings.model_dir}; run `civic train`")
    return await run_in_threadpool(
        InProcessRasa.load, model, settings.effective_action_url, settings.redis_url, settings.action_token,
        settings.turn_lock_seconds, settings.actions_in_process,
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    configure(settings.log_level)
    set_rasa_telemetry(settings.rasa_telemetry)
    app.state.engine = make_engine(settings.effective_database_url)
    app.state.sessions = make_sessionmaker(app.state.engine)
    app.state.store = create_store(settings.redis_url)
    app.state.limiter = create_rate_limiter(settings.redis_url)  # shared by every worker
    app.state.pools = create_pools(settings)  # speech and Redis calls off the default pool
    app.state.metrics = Metrics(settings.metrics_multiprocess_dir)  # GET /metrics (issue 16)
    app.state.core = None
    app.state.model_error = None
    app.state.readiness_probes = {}
    app.state.readiness_info = {}
    from knowledge.imported import LiveImported  # imported matters, re-read after an import (issue 17)

    app.state.imported_catalogue = LiveImported(app.state.engine, settings.catalogue_check_seconds)
    from knowledge import published  # staff's published edits, seen by every worker (issue 17)

    app.state.published = published.configure(app.state.engine, settings.catalogue_check_seconds)
    try:  # schema at head and the token departments present, before any request
        from knowledge.schema import prepare_database

        await run_in_threadpool(prepare_database, app.state.engine, settings.data_tokens)
    except Exception as err:  # database down: serve anyway, /readyz names it and tries again
        log_event("gateway.schema.unavailable", error=type(err).__name__)
        app.state.readiness_probes["schema"] = schema_probe(app.state.engine, settings.data_tokens)
    if not settings.rasa_url and not settings.actions_in_process:  # the agent calls the action server
        app.state.readiness_probes["actions"] = partial(action_server_problem, settings.effective_action_url)
    try:
        backend = app.state.backend or await build_backend(settings)
        app.state.core = ConversationCore(backend, settings.id_salt, settings.max_message_chars)
        app.state.core.listeners.append(app.state.metrics.on_turn)
    except Exception as err:  # the gateway still serves /healthz and /readyz explains
        app.state.model_error = f"model not loaded: {err}"
        log_event("gateway.model.unavailable", error=type(err).__name__)
    from assistant.voice.service import start_voice  # speech in/out (issue 7); never blocks start

    app.state.voice = start_voice(app.state)
    from analytics.listener import attach  # every turn -> redacted Parquet log (issue 9)

    app.state.turn_log = attach(app.state.core, settings, app.state.store)
    from channels.wechat import start_wechat  # with its collaborators, not the app's state

    app.state.wechat = start_wechat(settings, app.state.store, core=app.state.core,
                                    recogniser=app.state.voice, sessions=app.state.sessions,
                                    metrics=app.state.metrics)
    if app.state.wechat is not None:
        app.state.readiness_info["wechat"] = app.state.wechat.mode
    if settings.redis_url:
        await run_in_threadpool(check_redis_persistence, app.state.store, app.state.readiness_info)
    log_event("gateway.start", version=__version__, database=app.state.engine.dialect.name,
              redis=bool(settings.redis_url), remote_rasa=bool(settings.rasa_url))
    sampler = asyncio.ensure_future(keep_sampling(app.state.metrics, app.state.pools))
    watcher = start_model_watcher(app.state, settings)
    try:
        yield
    finally:
        if watcher is not None:
            watcher.cancel()
        if app.state.wechat is not None:
            await app.state.wechat.drain(settings.reply_timeout_seconds)  # deliveries in flight first
        if app.state.core is not None and app.state.backend is None:  # one it built, not one lent
            await app.state.core.backend.close()
        await run_in_threadpool(app.state.turn_log.close)  # nothing logged is lost on stop
        published.unconfigure(app.state.published)
        app.state.engine.dispose()
        for pool in app.state.pools.values():
            pool.close()
        sampler.cancel()
        app.state.metrics.close()
        log_event("gateway.stop")


def start_model_watcher(state, settings: Settings) -> Optional[asyncio.Task]:  # type: ignore[no-untyped-def]
    """Serve the model ``civic reload`` names, without a restart (``assistant/core/model_swap.py``);
    only for a model this process loaded itself (not a remote Rasa, not one a test lent)."""
    from assistant.core.model_swap import ModelWatcher
    from assistant.core.rasa_backend import model_version

    backend = state.core.backend if state.core is not None else None
    if not isinstance(backend, InProcessRasa) or state.backend is not None:
        return None
    path = backend.model_path
    state.readiness_info["model"] = model_version(path) if path else "unknown"
    watcher = ModelWatcher(backend, settings.model_dir, settings.var_dir / SERVING_POINTER,
                           settings.var_dir / "model-swap.lock",
                           settings.model_check_seconds,
                           on_swap=lambda version: state.readiness_info.__setitem__("model", version))
    return asyncio.ensure_future(watcher.run())


def create_app(settings: Optional[Settings] = None, backend: Optional[RasaBackend] = None) -> FastAPI:
    """The gateway. Tests pass their own settings; ``backend`` lets them share one loaded agent."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Civic Service Assistant",
        version=__version__,
        description="Bilingual assistant for government service matters.",
        lifespan=lifespan,
        # No Swagger page (FastAPI's loads from a CDN); the schema only outside production.
        docs_url=None, redoc_url=None,
        openapi_url=None if settings.environment == "production" else "/openapi.json",
    )
    app.state.settings = settings
    app.state.backend = backend
    errors.install(app)
    app.add_middleware(EdgeLimits)
    app.add_middleware(RequestTelemetry)  # outermost: ids and latency for refused requests too
    for spec in ROUTERS:
        module, _, attribute = spec.partition(":")
        app.include_router(getattr(importlib.import_module(module), attribute))
    return app
