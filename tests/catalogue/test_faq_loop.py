"""The FAQ loop (issue 17): accepting an FAQ candidate opens a Q&A draft filled in with its
question and examples; once an approver publishes the answer the assistant's catalogue answers
those questions; the dashboard counts how often they went unanswered before and after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from analytics import store
from assistant.gateway.app import create_app
from assistant.settings import load_settings
from knowledge.db import make_engine, make_sessionmaker
from tests.catalogue.test_editor import PASSWORD, editor_db, login  # noqa: F401  (the module's database)

FINGERPRINT = "feedc0ffee123456"
GROUP = {"fingerprint": FINGERPRINT, "lang": "zh", "size": 19, "distinct": 3, "fallbacks": 15,
         "representative": "护照照片可以自己带吗",
         "examples": [{"text": "护照照片可以自己带吗", "count": 11}, {"text": "办护照能用自己拍的照片吗", "count": 6},
                      {"text": "护照相片自带行不行", "count": 2}]}
ANSWER = "不用自带：窗口现场免费拍照，自带的照片一般不收。"


def unanswered(*rows):
    return {"unanswered": [{"lang": "zh", "text": t, "count": n, "fallbacks": n} for t, n in rows]}


@pytest.fixture(scope="module")
def gateway(editor_db, tmp_path_factory: pytest.TempPathFactory):  # noqa: F811
    tmp_path = tmp_path_factory.mktemp("faq-loop")
    settings = load_settings(environment="test", var_dir=str(tmp_path), model_dir=str(tmp_path / "no-models"),
                             database_url=editor_db, session_secret="s3cret-for-tests",
                             analytics_log_path=str(tmp_path / "logs"), rate_limit_exempt=["testclient"])
    engine = make_engine(editor_db)
    store.ensure_tables(engine)
    with make_sessionmaker(engine).begin() as session:  # two analyses before the answer exists
        store.save_period(session, date(2024, 3, 1), date(2024, 3, 10), unanswered(
            ("护照照片可以自己带吗", 7), ("办护照能用自己拍的照片吗", 3), ("社保卡丢了怎么办", 9)), [GROUP], 500, 120, "t", 1)
        store.save_period(session, date(2024, 3, 11), date(2024, 3, 20), unanswered(
            ("护照相片自带行不行", 2), ("护照照片可以自己带吗", 4)), [], 400, 100, "t", 1)
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        yield client, editor_db


def test_accept_draft_publish_and_the_counts_before_and_after(gateway) -> None:
    client, url = gateway
    login(client, "li.editor")
    accepted = client.post(f"/staff/api/faq/{FINGERPRINT}/accept").json()
    assert accepted["editor"] == f"/staff/editor?faq={FINGERPRINT}"
    opened = client.get(f"/staff/api/editor/faq/{FINGERPRINT}").json()
    assert opened["matter"] == "passport"  # the catalogue search's suggestion
    assert opened["qa"]["q"]["zh"] == "护照照片可以自己带吗"
    assert opened["qa"]["also"]["zh"] == ["办护照能用自己拍的照片吗", "护照相片自带行不行"]
    assert client.get("/staff/api/editor/faq/0000000000000000").status_code == 404
    assert client.get("/staff/api/editor/faq/short").status_code == 422

    outcome = client.get("/staff/api/faq/outcomes").json()["outcomes"]
    assert outcome == [{"fingerprint": FINGERPRINT, "lang": "zh", "representative": "护照照片可以自己带吗",
                        "accepted_by": "li.editor", "published_at": None,
                        "before": {"periods": 2, "days": 20, "unanswered": 16, "per_day": 0.8}, "after": None}]

    matter = client.get("/staff/api/editor/matters/passport").json()
    qa = opened["qa"]
    incomplete = dict(matter["content"], faq=matter["content"]["faq"] + [qa])
    refused = client.post("/staff/api/editor/matters/passport/drafts",
                          json={"content": incomplete, "faq_fingerprint": FINGERPRINT})
    n = len(matter["content"]["faq"])
    assert refused.status_code == 422 and {f"faq[{n}].q.en", f"faq[{n}].a.zh", f"faq[{n}].a.en"} <= set(
        refused.json()["fields"])  # the answer is for staff to write
    qa = {"q": {"zh": qa["q"]["zh"], "en": "Can I bring my own passport photo?"},
          "a": {"zh": ANSWER, "en": "No need: the window takes your photo for free; own photos are usually refused."},
          "also": qa["also"]}
    saved = client.post("/staff/api/editor/matters/passport/drafts",
                        json={"content": dict(matter["content"], faq=matter["content"]["faq"] + [qa]),
                              "faq_fingerprint": FINGERPRINT, "note": "FAQ: own photos"})
    assert saved.status_code == 200, saved.text
    trail = client.get("/staff/api/editor/matters/passport").json()["audit"]
    assert (trail[0]["action"], trail[0]["user"]) == ("faq_draft", "li.editor")
    assert client.get("/staff/api/faq/outcomes").json()["outcomes"][0]["published_at"] is None  # a draft only

    login(client, "wang.approver")
    assert client.post(f"/staff/api/editor/matters/passport/versions/{saved.json()['number']}/publish").status_code == 200
    from knowledge.search import get_index

    for question in ("护照照片可以自己带吗", "办护照能用自己拍的照片吗"):
        hit = get_index().best_answer(question, "passport")  # what the guide answers a Q&A from
        assert hit is not None and hit.qa.a.zh == ANSWER, question

    later = date.today() + timedelta(days=1)
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:  # an analysis after publication
        store.save_period(session, later, later + timedelta(days=4), unanswered(("护照照片可以自己带吗", 1)), [],
                          300, 80, "t", 1)
    engine.dispose()
    outcome = client.get("/staff/api/faq/outcomes").json()["outcomes"][0]
    assert outcome["published_at"].startswith(date.today().isoformat())
    assert outcome["before"] == {"periods": 2, "days": 20, "unanswered": 16, "per_day": 0.8}
    assert outcome["after"] == {"periods": 1, "days": 5, "unanswered": 1, "per_day": 0.2}
    assert client.post("/staff/api/editor/matters/passport/versions/0/rollback").status_code == 200
