"""Analytics results: a period is replaced as a whole (idempotent), staff decisions survive
re-runs, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from analytics import store
from knowledge.db import make_engine, make_sessionmaker

GROUP = {"fingerprint": "aaaaaaaaaaaaaaaa", "lang": "en", "size": 9, "distinct": 2, "fallbacks": 9,
         "representative": "dog licence", "examples": [{"text": "dog licence", "count": 9}]}


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(request, tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    store.ensure_tables(engine)
    with engine.begin() as conn:  # the PostgreSQL database is shared by the run: start clean
        for table in reversed(store.TABLES):
            conn.execute(table.delete())
    yield make_sessionmaker(engine)
    engine.dispose()


def save(sessions, turns: int, groups=(GROUP,)) -> int:
    with sessions.begin() as session:
        return store.save_period(session, date(2024, 3, 1), date(2024, 3, 31),
                                 {"rates": [{"channel": "all", "mode": "all", "turns": turns}]}, list(groups),
                                 turns, 1, "test", 1.0)


def test_rerunning_a_period_replaces_it(sessions) -> None:
    save(sessions, 10)
    second = save(sessions, 12)
    with sessions() as session:
        assert session.execute(select(func.count()).select_from(store.AnalyticsPeriod)).scalar() == 1
        assert session.execute(select(func.count()).select_from(store.AnalyticsFigure)).scalar() == 1
        assert session.execute(select(func.count()).select_from(store.FaqCandidate)).scalar() == 1
        assert store.figures(session, second)["rates"][0]["turns"] == 12
        assert store.period(session).id == second


def test_decisions_survive_reruns(sessions) -> None:
    save(sessions, 10)
    with sessions.begin() as session:
        store.decide(session, GROUP["fingerprint"], "dismissed", "li.ming")
    period_id = save(sessions, 10)
    with sessions() as session:
        assert store.faq_candidates(session, period_id) == []
        assert store.faq_candidates(session, period_id, include_decided=True)[0]["status"] == "dismissed"
    with pytest.raises(ValueError):
        with sessions.begin() as session:
            store.decide(session, GROUP["fingerprint"], "maybe", "li.ming")
