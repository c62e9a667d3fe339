"""``civic serve`` / ``civic actions``: one process each, for running under a supervisor."""

from __future__ import annotations

import argparse

from assistant.settings import get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run only the HTTP gateway (uvicorn)",
                                  description="Serve the gateway on CIVIC_HOST:CIVIC_PORT with "
                                  "CIVIC_WORKERS workers; does not train or seed.")
    serve.set_defaults(handler=serve_gateway)
    actions = subparsers.add_parser("actions", help="run only the Rasa action server",
                                    description="Serve the custom actions on CIVIC_ACTION_HOST:CIVIC_ACTION_PORT "
                                    "for callers holding CIVIC_ACTION_TOKEN.")
    actions.set_defaults(handler=serve_actions)


def serve_gateway(args: argparse.Namespace) -> int:
    import uvicorn

    from assistant.metrics_workers import prepare_worker_metrics

    settings = get_settings()
    prepare_worker_metrics(settings)  # several workers: one metrics folder, chosen before they start
    uvicorn.run("assistant.gateway.app:create_app", factory=True, host=settings.host,
                port=settings.port, workers=settings.workers, log_level="warning",
                ws="none")  # rasa pins websockets 10, too old for uvicorn's sansio protocol
    return 0


def serve_actions(args: argparse.Namespace) -> int:
    from assistant.action_server import serve

    from knowledge.semantic import warm

    prepare_schema()
    warm()  # the catalogue's questions embedded before the first turn needs them
    serve(get_settings())  # 127.0.0.1, shared token, no CORS, bounded bodies (issue 15)
    return 0


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
