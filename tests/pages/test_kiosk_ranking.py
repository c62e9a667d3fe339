"""Kiosk tiles ordered by the analytics: the pure ranking and the endpoint over a real database
with a stored analysis period (and without one: the kiosk's default order, never an error)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from analytics import store
from assistant.gateway import errors
from channels.kiosk import rank_matters
from channels.kiosk import router as kiosk_router
from knowledge.db import make_engine, make_sessionmaker

ROWS = [
    # the cube: channel/mode None = roll-up
    {"topic": "id_card", "kind": "matter", "channel": None, "mode": None, "conversations": 90, "turns": 300},
    {"topic": "passport", "kind": "matter", "channel": None, "mode": None, "conversations": 50, "turns": 120},
    {"topic": "pension_certification", "kind": "matter", "channel": "kiosk", "mode": None,
     "conversations": 40, "turns": 100},
    {"topic": "medical_insurance", "kind": "matter", "channel": "kiosk", "mode": None,
     "conversations": 25, "turns": 60},
    {"topic": "id_card", "kind": "matter", "channel": "kiosk", "mode": None, "conversations": 25, "turns": 70},
    {"topic": "id_card", "kind": "matter", "channel": "kiosk", "mode": "elderly", "conversations": 99, "turns": 1},
    {"topic": "case_status", "kind": "capability", "channel": "kiosk", "mode": None, "conversations": 500, "turns": 9},
    {"topic": "nonsense", "kind": "matter", "channel": "kiosk", "mode": None, "conversations": 900, "turns": 9},
]


def test_ranking_prefers_the_kiosk_channel_and_only_real_matters() -> None:
    assert rank_matters(ROWS) == ["pension_certification", "id_card", "medical_insurance"]
    assert rank_matters(ROWS, channel="wechat") == ["id_card", "passport"]  # no wechat rows: all channels
    assert rank_matters([]) == []


def app_over(database: Path) -> TestClient:
    engine = make_engine(f"sqlite:///{database}")
    app = FastAPI()
    errors.install(app)
    app.include_router(kiosk_router)
    app.state.sessions = make_sessionmaker(engine)
    return TestClient(app)


def test_endpoint_without_analytics_says_so(tmp_path: Path) -> None:
    response = app_over(tmp_path / "empty.db").get("/api/v1/kiosk/top-matters")
    assert response.status_code == 200
    assert response.json() == {"source": "none", "matters": []}


def test_endpoint_reads_the_latest_period(tmp_path: Path) -> None:
    database = tmp_path / "analytics.db"
    engine = make_engine(f"sqlite:///{database}")
    store.ensure_tables(engine)
    with make_sessionmaker(engine).begin() as session:
        store.save_period(session, date(2026, 10, 1), date(2026, 10, 31), {"topics": ROWS}, [],
                          events=1000, conversations=300, source="test", seconds=1)
    engine.dispose()
    body = app_over(database).get("/api/v1/kiosk/top-matters").json()
    assert body["source"] == "analytics" and body["since"] == "2026-10-01"
    assert body["matters"] == ["pension_certification", "id_card", "medical_insurance"]


@pytest.mark.slow
def test_kiosk_page_follows_the_ranking(page, base_url: str) -> None:
    """The page asks the endpoint; with no analysis on the test gateway it keeps its default."""
    with page.expect_response("**/api/v1/kiosk/top-matters") as answer:
        page.goto(f"{base_url}/kiosk")
    page.wait_for_selector("body[data-ready=true]")
    ranked = answer.value.json()["matters"]
    tiles = page.locator("#matter-tiles .tile")
    shown = [tiles.nth(i).get_attribute("data-id") for i in range(tiles.count())]
    if ranked:
        assert shown[: min(len(ranked), 8)] == ranked[:8]
        assert page.get_attribute("#matter-tiles", "data-order") == "analytics"
    else:
        assert shown[0] == "pension_certification"
        assert page.get_attribute("#matter-tiles", "data-order") == "default"
