"""``civic serve`` / ``civic actions``: one process each, for running under a supervisor."""

from __future__ import annotations

import argparse
import os
import sys

from assistant.settings import PROJECT_ROOT, Settings, get_settings

#: The gateway's process manager configuration, shared by ``civic serve``, ``civic run`` and the
#: systemd unit (``deploy/systemd/civic-gateway.service``).
GUNICORN_CONFIG = PROJECT_ROOT / "deploy" / "gunicorn.conf.py"


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run only the HTTP gateway (gunicorn, uvicorn workers)",
                                  description="Serve the gateway on CIVIC_HOST:CIVIC_PORT with "
                                  "CIVIC_WORKERS workers under gunicorn; does not train or seed.")
    serve.set_defaults(handler=serve_gateway)
    actions = subparsers.add_parser("actions", help="run only the Rasa action server",
                                    description="Serve the custom actions on CIVIC_ACTION_HOST:CIVIC_ACTION_PORT "
                                    "for callers holding CIVIC_ACTION_TOKEN.")
    actions.set_defaults(handler=serve_actions)


def serve_gateway(args: argparse.Namespace) -> int:
    """Become gunicorn (``exec``): the process a supervisor started is the one that gets its
    signals (TERM: graceful stop, HUP: new workers), with no Python parent in between."""
    from assistant.metrics_workers import prepare_worker_metrics

    settings = get_settings()  # a bad configuration exits here with status 2, naming the variable
    prepare_worker_metrics(settings)  # several workers: one metrics folder, in the environment gunicorn inherits
    if settings.actions_in_process:  # the workers embed: one OpenMP thread each, before they load Rasa
        from knowledge.embedding_cache import one_embedding_thread

        one_embedding_thread()
    model_threads(settings)
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG)])
    return 0  # not reached


def model_threads(settings: Settings) -> None:
    """Bound each worker's TensorFlow thread pools (read by TensorFlow when a worker first runs a
    model, hence set here, in the environment gunicorn's workers inherit). Unbounded, each pool
    takes every core: two workers on 2 cores then run 4 busy threads, and the second worker adds
    only what the first left idle (docs/benchmarks.md, Load)."""
    threads = str(settings.effective_model_threads)
    os.environ["TF_NUM_INTRAOP_THREADS"] = os.environ["TF_NUM_INTEROP_THREADS"] = threads


def serve_actions(args: argparse.Namespace) -> int:
    from assistant.action_server import serve

    from knowledge import resolve, semantic

    prepare_schema()
    configure_published()
    semantic.warm()  # the catalogue's questions and answers embedded before the first turn needs them
    resolve.warm()  # and the imported list (issue 17)
    serve(get_settings())  # 127.0.0.1, shared token, no CORS, bounded bodies (issue 15)
    return 0


def configure_published() -> None:
    """The actions answer from staff's published edits, checked every CIVIC_CATALOGUE_CHECK_SECONDS
    (issue 17): a publication reaches the chat without restarting this process."""
    from knowledge import published
    from knowledge.db import make_engine

    settings = get_settings()
    published.configure(make_engine(settings.effective_database_url), settings.catalogue_check_seconds)


def prepare_schema() -> None:
    """Schema at head before the first action runs; a database that is down is reported by the
    actions that need it, it does not stop the others from being served."""
    from assistant.logs import log_event
    from knowledge.db import make_engine
    from knowledge.schema import prepare_database

    settings = get_settings()
    engine = make_engine(settings.effective_database_url)
    try:
        prepare_database(engine, settings.data_tokens)
    except Exception as err:
        log_event("actions.schema.unavailable", error=type(err).__name__)
    finally:
        engine.dispose()
