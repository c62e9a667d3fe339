"""The hot read path (``knowledge.db.read``): no pre-ping, so a connection the server dropped
must be noticed on use and the read retried on a fresh one."""

from __future__ import annotations

from sqlalchemy import text

from knowledge.cases import push_cases, verify_case
from knowledge.db import make_engine, make_sessionmaker, read
from knowledge.schema import prepare_database
from tests.data.conftest import TOKENS, new_case_number, record


def test_read_survives_the_server_dropping_every_pooled_connection(postgres_url):
    engine = make_engine(postgres_url)
    prepare_database(engine, TOKENS)
    sessions = make_sessionmaker(engine)
    number = new_case_number()
    push_cases(sessions, "exit_entry", [record(number)], "test")
    # Two pooled connections, then the server ends both (as a restart or failover would).
    first, second = engine.connect(), engine.connect()
    pids = [c.execute(text("SELECT pg_backend_pid()")).scalar() for c in (first, second)]
    first.close(), second.close()
    admin = make_engine(postgres_url)
    with admin.connect() as conn:
        for pid in pids:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    try:
        for _ in range(3):  # each time the pool would hand out a dead connection without the retry
            case = read(sessions, lambda connection: verify_case(connection, number, "5678"))
            assert case is not None and case.case_number == number
        assert read(engine, lambda connection: verify_case(connection, number, "0000")) is None
    finally:
        engine.dispose()


def test_read_is_autocommit_on_postgresql(postgres_url):
    engine = make_engine(postgres_url)
    try:
        def autocommit(connection) -> bool:  # psycopg2's own flag: no BEGIN is sent
            return connection.connection.dbapi_connection.autocommit

        assert read(engine, autocommit) is True
        with engine.connect() as connection:  # and the pooled connection is given back as it was
            assert autocommit(connection) is False
    finally:
        engine.dispose()
