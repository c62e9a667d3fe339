"""``civic db upgrade|current``: run the Alembic migrations on CIVIC_DATABASE_URL."""

from __future__ import annotations

import argparse

from assistant.logs import configure
from assistant.settings import get_settings
from knowledge.db import make_engine
from knowledge.schema import current_revision, head_revision, prepare_database


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "db", help="database schema: upgrade to the newest migration, or show the current one",
        description="The gateway, the action server and the seeders upgrade on start anyway; "
        "use this to migrate ahead of a deployment.",
    )
    what = parser.add_subparsers(dest="db_command", metavar="ACTION")
    what.add_parser("upgrade", help="migrate to head and add reference data").set_defaults(handler=upgrade)
    what.add_parser("current", help="print the current and the head revision").set_defaults(handler=current)


def upgrade(args: argparse.Namespace) -> int:
    settings = get_settings()
    configure(settings.log_level)
    engine = make_engine(settings.effective_database_url)
    try:
        prepare_database(engine, settings.data_tokens)
        print(f"database at {current_revision(engine)} ({engine.dialect.name})")
    finally:
        engine.dispose()
    return 0


def current(args: argparse.Namespace) -> int:
    engine = make_engine(get_settings().effective_database_url)
    try:
        print(f"current: {current_revision(engine)}  head: {head_revision()}")
    finally:
        engine.dispose()
    return 0
