"""Database engine and sessions (SQLAlchemy 1.4 used in 2.0 style).

SQLite by default so a laptop needs nothing; PostgreSQL when ``CIVIC_DATABASE_URL`` says so.
Engines are built by the caller (the gateway's lifespan, a CLI command, a test fixture) and
passed in; nothing connects at import time.
"""

from __future__ import annotations

import select
from pathlib import Path
from typing import Callable, Optional, TypeVar, Union

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import DeclarativeMeta, Session, registry, sessionmaker
from sqlalchemy.pool import QueuePool

T = TypeVar("T")

mapper_registry = registry()


class Base(metaclass=DeclarativeMeta):
    """Declarative base for every table of the project."""

    __abstract__ = True
    registry = mapper_registry
    metadata = mapper_registry.metadata
    __init__ = mapper_registry.constructor


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets its folder created and foreign keys and WAL turned on."""
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        if str(path) not in ("", ":memory:"):
            path.parent.mkdir(parents=True, exist_ok=True)
        # QueuePool: SQLAlchemy 1.4 defaults to a new connection (and PRAGMAs) per checkout for
        # SQLite files, which costs more than the query itself on a case lookup.
        pooling = {} if str(path) in ("", ":memory:") else {
            "poolclass": QueuePool, "pool_size": 10, "max_overflow": 20}
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 30},
                               **pooling)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    # No pre-ping: it would add a round trip to every checkout, as much as a lookup costs. A
    # connection the server closed (a restart) is dropped at checkout without a round trip
    # (``_closed_by_server``), so the first write after a restart gets a new one; one dropped
    # without a word (a network cut) is noticed on use, and reads retry once (``read``).
    engine = create_engine(url, future=True, pool_size=10, max_overflow=20)
    event.listen(engine, "checkout", _drop_if_closed_by_server)
    return engine


def _drop_if_closed_by_server(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
    """An idle connection has nothing to read; if its socket is readable, the server has closed
    it (a restart sends "terminating connection" and hangs up). DisconnectionError makes the pool
    replace it. Costs one poll() system call: redis-py checks its pooled connections the same way."""
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:
        return
    try:
        poller = select.poll()
        poller.register(fileno(), select.POLLIN | select.POLLHUP | select.POLLERR)
        closed = bool(poller.poll(0))
    except Exception as err:  # no socket left at all (the driver closed it)
        raise DisconnectionError(f"connection lost: {err}") from err
    if closed:
        raise DisconnectionError("the database closed this connection")


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)


def read(bind: Union[Engine, sessionmaker], work: Callable[[Connection], T]) -> T:
    """Run ``work`` on a plain connection, for hot read paths.

    An ORM session costs more to open and close than a one-row lookup costs to run; on
    PostgreSQL the connection is autocommit, since a transaction would add a BEGIN and a ROLLBACK
    round trip to every lookup (SQLite's driver begins none for a SELECT, and switching its
    isolation level back would cost a PRAGMA). A connection the database dropped (a restart, a
    failover) is noticed on use: the pool is emptied and the read, which changes nothing, is run
    once more on a new connection, so nobody sees the restart.
    """
    engine = bind.kw["bind"] if isinstance(bind, sessionmaker) else bind
    try:
        return _read_once(engine, work)
    except DBAPIError as err:
        if not err.connection_invalidated:
            raise
    return _read_once(engine, work)


def _read_once(engine: Engine, work: Callable[[Connection], T]) -> T:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        return work(connection)


def ping(engine: Engine) -> Optional[str]:
    """``None`` when the database answers, else what is wrong (for /readyz)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except Exception as err:  # any driver error means "not reachable" here
        return f"database unreachable: {type(err).__name__}: {str(err).splitlines()[0][:200]}"
