"""Bring a database to the head migration, safely from several processes at once.

The gateway's lifespan, the action server and the seeders all call :func:`ensure_schema` on
start; whoever comes first migrates while the others wait on a lock (a PostgreSQL advisory lock,
or a lock file beside the SQLite database), then everyone finds the schema at head.
"""

from __future__ import annotations

import fcntl
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Optional, Set

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from assistant.logs import log_event
from knowledge.clock import utcnow
from knowledge.db import make_sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ADVISORY_KEY = 7_363_001  # any constant shared by every process of the project
_done: Set[str] = set()
_done_lock = threading.Lock()


def alembic_config(connection: Optional[Connection] = None, url: Optional[str] = None) -> Config:
    """An Alembic config pointing at our scripts; the database is passed in, never read from env."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()  # type: ignore[return-value]


def current_revision(engine: Engine) -> Optional[str]:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` under the cross-process lock."""
    with _migration_lock(engine):
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with _migration_lock(engine):
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), revision)


def ensure_schema(engine: Engine) -> None:
    """Schema at head and reference data present; cheap after the first call in a process."""
    key = str(engine.url)
    with _done_lock:
        if key in _done:
            return
        if current_revision(engine) != head_revision():
            upgrade(engine)
            log_event("db.migrated", dialect=engine.dialect.name, revision=head_revision())
        from knowledge.reference import sync_reference_data

        with _migration_lock(engine):
            with make_sessionmaker(engine).begin() as session:
                sync_reference_data(session, utcnow())
        _done.add(key)


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _ADVISORY_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _ADVISORY_KEY})
                conn.commit()
        return
    database = engine.url.database
    path = Path(database + ".migrate.lock") if database and database != ":memory:" else None
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare_database(engine: Engine, department_codes: Iterable[str] = ()) -> None:
    """What every process does on start: schema at head, reference data, and the departments
    named in ``CIVIC_DATA_TOKENS`` (so a token is all a department needs to start pushing)."""
    ensure_schema(engine)
    codes = list(department_codes)
    if codes:
        from knowledge.reference import ensure_departments

        with make_sessionmaker(engine).begin() as session:
            ensure_departments(session, codes, utcnow())
