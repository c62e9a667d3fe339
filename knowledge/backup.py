"""Backup and restore of the whole database: cases, bookings, tickets, staff, analytics.

Why the database's own tools and not a table-by-table export of ours: ``pg_dump`` takes one
consistent snapshot while the gateway keeps writing, keeps sequences, constraints and the
migration revision, and ``pg_restore`` puts it all back in one transaction. The custom format is
compressed and restorable table by table in an emergency (``pg_restore -t cases``). SQLite (the
laptop default) is copied with SQLite's online backup API, which is just as consistent.

A restore goes only into an empty database: restoring over live data would mix two histories
(and ``--clean`` would silently drop what the dump does not hold).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Dict, List, Tuple

from sqlalchemy import inspect
from sqlalchemy.engine import Engine, make_url

from assistant.errors import ConfigError, InputError, UnavailableError

#: The first bytes of each kind of backup file, so a restore refuses the wrong kind by name.
PG_CUSTOM_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
#: pg_dump on a busy database may wait on a lock; a backup that hangs longer has a problem.
TOOL_TIMEOUT_SECONDS = 3600


def libpq_target(url: str) -> Tuple[str, Dict[str, str]]:
    """The SQLAlchemy URL as libpq takes it (``postgresql+psycopg2://`` -> ``postgresql://``),
    and the environment that carries its password: a password in the arguments would show in
    ``ps`` to every user of the machine while the dump runs."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def user_tables(engine: Engine) -> List[str]:
    """Every table of the project's schema (``alembic_version`` included), sorted."""
    return sorted(inspect(engine).get_table_names())


def backup(engine: Engine, target: Path) -> Path:
    """Write a consistent backup of the database behind ``engine`` to ``target``."""
    if not user_tables(engine):  # a wrong URL would otherwise give a backup of nothing, silently
        raise InputError("the database has no tables: is CIVIC_DATABASE_URL the service's database?")
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "postgresql":
        url, env = libpq_target(engine.url.render_as_string(hide_password=False))
        _run_tool(env, "pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
                  f"--dbname={url}")
    elif engine.dialect.name == "sqlite":
        _sqlite_copy(_sqlite_path(engine), target)
    else:
        raise ConfigError(f"CIVIC_DATABASE_URL: no backup for {engine.dialect.name} (PostgreSQL or SQLite)")
    return target


def restore(engine: Engine, source: Path) -> None:
    """Load a backup made by :func:`backup` into the empty database behind ``engine``."""
    if not source.is_file():
        raise InputError(f"{source}: no such backup file")
    found = user_tables(engine)
    if found:
        raise InputError(f"the target database is not empty ({len(found)} tables, e.g. {found[0]}): "
                         "restore into a new, empty database and point CIVIC_DATABASE_URL at it")
    head = _head(source)
    if engine.dialect.name == "postgresql":
        if not head.startswith(PG_CUSTOM_MAGIC):
            raise InputError(f"{source}: not a PostgreSQL backup (pg_dump custom format)")
        url, env = libpq_target(engine.url.render_as_string(hide_password=False))
        _run_tool(env, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  f"--dbname={url}", str(source))
    elif engine.dialect.name == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise InputError(f"{source}: not a SQLite backup")
        engine.dispose()  # no pooled connection may keep the old, empty file open
        _sqlite_copy(source, _sqlite_path(engine))
    else:
        raise ConfigError(f"CIVIC_DATABASE_URL: no restore for {engine.dialect.name} (PostgreSQL or SQLite)")


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(16)


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise ConfigError("CIVIC_DATABASE_URL: an in-memory SQLite database has nothing to back up")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while another process writes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(str(source)) as origin, sqlite3.connect(str(target)) as copy:
        origin.backup(copy)


def _run_tool(env: Dict[str, str], tool: str, *args: str) -> None:
    """Run a PostgreSQL client tool; its own message (never the URL we passed) on failure."""
    if shutil.which(tool) is None:
        raise UnavailableError(f"{tool} not found: install the PostgreSQL client (Debian: postgresql-client), "
                               "the same major version as the server or newer")
    try:
        result = subprocess.run([tool, *args], env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as err:
        raise UnavailableError(f"{tool} did not finish within {TOOL_TIMEOUT_SECONDS} s") from err
    if result.returncode != 0:
        message = " ".join(result.stderr.split())[:500] or f"exit code {result.returncode}"
        raise UnavailableError(f"{tool} failed: {message}")
