"""Issue 17 through the real chat API: a matter added by the import is answered within a minute,
with no training and no restart, and the turn's topic is that matter's id as /api/v1/matters lists
it; its follow-ups stay on it, and small talk is not mistaken for a listed matter."""

from __future__ import annotations

import time

from knowledge.catalogue_import.store import import_bytes
from knowledge.db import make_engine, make_sessionmaker
from tests.catalogue.conftest import csv_bytes, row
from tests.conftest import new_chat_sender

BEACH = [row("T-BEACH-101", "海滩烧烤场地预约", 实施主体="江州市文化广电旅游局", 收费标准="每次50元",
             申请材料="居民身份证（原件1份）\n烧烤场地预约单（原件1份）", 办理地点="江州市民中心E区文旅窗口E7号")]


def say(client, sender: str, text: str, lang: str = "zh") -> dict:
    response = client.post("/api/v1/chat", json={"sender": sender, "message": text, "lang": lang})
    assert response.status_code == 200, response.text
    return response.json()


def words(body: dict) -> str:
    return " ".join(m.get("text") or "" for m in body.get("replies", []))


def test_an_imported_matter_is_answered_in_the_chat_within_a_minute(client, test_settings):
    engine = make_engine(test_settings.effective_database_url)
    try:
        report = import_bytes(make_sessionmaker(engine), csv_bytes(BEACH), "beach.csv")
    finally:
        engine.dispose()
    assert report.created == 1
    listed = {m["id"]: m for m in client.get("/api/v1/matters").json()["matters"]}
    beach = next(i for i, m in listed.items() if m["name"]["zh"] == "海滩烧烤场地预约")

    deadline, body = time.monotonic() + 60, {}
    while time.monotonic() < deadline:  # the action server notices the import by itself
        body = say(client, new_chat_sender(client), "我想在海滩上烧烤，场地要怎么申请")
        if body.get("topic") == beach:
            break
        time.sleep(3)
    assert body.get("topic") == beach, body
    assert "海滩烧烤场地预约" in words(body)

    sender = new_chat_sender(client)
    say(client, sender, "海边烧烤的场地怎么申请")
    fee = say(client, sender, "要交多少钱")
    assert fee["topic"] == beach and "50" in words(fee)
    where = say(client, sender, "在哪办")
    assert where["topic"] == beach and "E7" in words(where)


def test_small_talk_is_not_taken_for_a_listed_matter(client):
    body = say(client, new_chat_sender(client), "讲个笑话吧")
    assert body["topic"] == "out_of_scope"
