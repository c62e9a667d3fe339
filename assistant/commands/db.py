"""``civic db upgrade|current|backup|restore|purge``: the schema's migrations on CIVIC_DATABASE_URL,
backups of everything in it (docs/operations.md), and deleting lockout rows that no longer count
(the checks do it on write too; purge is for a cron job)."""

from __future__ import annotations

import argparse
from pathlib import Path

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
    save = what.add_parser("backup", help="write a consistent backup of the database to FILE",
                           description="PostgreSQL: pg_dump custom format (while the assistant runs); "
                           "SQLite: SQLite's online backup.")
    save.add_argument("file", type=Path, metavar="FILE")
    save.set_defaults(handler=backup)
    load = what.add_parser("restore", help="load a backup FILE into an empty database",
                           description="Refuses a database that already has tables: create an empty "
                           "one, point CIVIC_DATABASE_URL at it, restore, then start the assistant.")
    load.add_argument("file", type=Path, metavar="FILE")
    load.set_defaults(handler=restore)
    what.add_parser("purge", help="delete case-check and booking-code lockout rows that no longer count"
                    ).set_defaults(handler=purge)


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


def backup(args: argparse.Namespace) -> int:
    from knowledge.backup import backup as write_backup, user_tables

    engine = make_engine(get_settings().effective_database_url)
    try:
        tables = user_tables(engine)
        path = write_backup(engine, args.file)
        print(f"backup of {len(tables)} tables ({engine.dialect.name}) written to {path} "
              f"({path.stat().st_size:,} bytes)")
    finally:
        engine.dispose()
    return 0


def restore(args: argparse.Namespace) -> int:
    from knowledge.backup import restore as load_backup, user_tables

    engine = make_engine(get_settings().effective_database_url)
    try:
        load_backup(engine, args.file)
        print(f"restored {len(user_tables(engine))} tables from {args.file}; schema at {current_revision(engine)}")
    finally:
        engine.dispose()
    return 0


def purge(args: argparse.Namespace) -> int:
    from knowledge.clock import utcnow
    from knowledge.db import make_sessionmaker
    from knowledge.lockout import PURGE_BATCH, purge_stale

    engine = make_engine(get_settings().effective_database_url)
    try:
        sessions, now, total = make_sessionmaker(engine), utcnow(), 0
        while True:  # in batches, so no transaction holds many rows
            gone = purge_stale(sessions, now)
            total += gone
            if gone < PURGE_BATCH:
                break
        print(f"purged {total} lockout rows")
    finally:
        engine.dispose()
    return 0
