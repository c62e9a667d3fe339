"""Build the FastAPI gateway. ``create_app()`` is the uvicorn factory.

Engines, stores and the Rasa agent are built in the lifespan and kept on ``app.state``; routes
get them through ``deps.py``. Nothing connects at import time.
"""

from __future__ import annotations

import importlib
from contextlib import asynccontextmanager
from typing import AsyncIterator, Optional

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from assistant import __version__
from assistant.core.conversation import ConversationCore
from assistant.core.model_store import current_model, latest_model
from assistant.core.rasa_backend import InProcessRasa, RasaBackend, RemoteRasa
from assistant.gateway import errors
from assistant.gateway.middleware import JsonByDefault
from assistant.logs import configure, log_event
from assistant.settings import Settings, get_settings
from assistant.state import create_store
from knowledge.db import make_engine, make_sessionmaker

#: Every router of the gateway, as "module:attribute". Adding an API or a channel is one line.
ROUTERS = (
    "assistant.gateway.routes.health:router",
    "assistant.gateway.routes.chat:router",
    "assistant.gateway.routes.matters:router",
    "channels.rasa_rest:router",
    "assistant.gateway.routes.data:router",
    "assistant.gateway.routes.pages:router",
    "channels.kiosk:router",
    "channels.wechat:router",
    "assistant.gateway.routes.voice:router",
    "assistant.gateway.routes.staff:router",
)


async def build_backend(settings: Settings) -> RasaBackend:
    if settings.rasa_url:
        return RemoteRasa(settings.rasa_url, timeout=settings.reply_timeout_seconds)
    model = current_model(settings.model_dir) or latest_model(settings.model_dir)
    if model is None:
        raise FileNotFoundError(f"no trained model in {settings.model_dir}; run `civic train`")
    return await run_in_threadpool(
        InProcessRasa.load, model, settings.effective_action_url, settings.redis_url
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    configure(settings.log_level)
    app.state.engine = make_engine(settings.effective_database_url)
    app.state.sessions = make_sessionmaker(app.state.engine)
    app.state.store = create_store(settings.redis_url)
    app.state.core = None
    app.state.model_error = None
    app.state.readiness_probes = {}
    app.state.readiness_info = {}
    try:  # schema at head and the token departments present, before any request
        from knowledge.schema import prepare_database

        await run_in_threadpool(prepare_database, app.state.engine, settings.data_tokens)
    except Exception as err:  # database down: serve anyway, /readyz names the problem
        problem = f"schema not prepared: {type(err).__name__}"
        log_event("gateway.schema.unavailable", error=type(err).__name__)
        app.state.readiness_probes["schema"] = lambda: problem
    try:
        backend = app.state.backend or await build_backend(settings)
        app.state.core = ConversationCore(backend, settings.id_salt, settings.max_message_chars)
    except Exception as err:  # the gateway still serves /healthz and /readyz explains
        app.state.model_error = f"model not loaded: {err}"
        log_event("gateway.model.unavailable", error=type(err).__name__)
    from assistant.voice.service import start_voice  # speech in/out (issue 7); never blocks start

    app.state.voice = start_voice(app.state)
    from analytics.listener import attach  # every turn -> redacted Parquet log (issue 9)

    app.state.turn_log = attach(app.state.core, settings, app.state.store)
    log_event("gateway.start", version=__version__, database=app.state.engine.dialect.name,
              redis=bool(settings.redis_url), remote_rasa=bool(settings.rasa_url))
    try:
        yield
    finally:
        if app.state.core is not None and app.state.backend is None:  # one it built, not one lent
            await app.state.core.backend.close()
        await run_in_threadpool(app.state.turn_log.close)  # nothing logged is lost on stop
        app.state.engine.dispose()
        log_event("gateway.stop")


def create_app(settings: Optional[Settings] = None, backend: Optional[RasaBackend] = None) -> FastAPI:
    """The gateway. Tests pass their own settings; ``backend`` lets them share one loaded agent."""
    app = FastAPI(
        title="Civic Service Assistant",
        version=__version__,
        description="Bilingual assistant for government service matters.",
        lifespan=lifespan,
    )
    app.state.settings = settings or get_settings()
    app.state.backend = backend
    errors.install(app)
    app.add_middleware(JsonByDefault)
    for spec in ROUTERS:
        module, _, attribute = spec.partition(":")
        app.include_router(getattr(importlib.import_module(module), attribute))
    return app
