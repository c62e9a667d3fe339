"""End to end: a case pushed through the data interface is found through the chat API in both
languages; a wrong phone suffix reveals nothing; appointments and handoff through the chat."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from knowledge import appointments
from knowledge.db import make_engine, make_sessionmaker
from knowledge.models import Booking, HandoffTicket
from tests.conftest import new_sender
from tests.data.conftest import TOKENS, auth, new_case_number, record

pytestmark = pytest.mark.slow


@pytest.fixture()
def chat_client(test_settings, backend):
    """The in-process gateway on the action server's database, with data tokens."""
    from fastapi.testclient import TestClient

    from assistant.gateway.app import create_app

    settings = test_settings.copy(update={"data_tokens": TOKENS})
    with TestClient(create_app(settings, backend=backend)) as client:
        yield client


@pytest.fixture()
def chat_sessions(test_settings):
    engine = make_engine(test_settings.effective_database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def say(client, sender, message, **extra):
    response = client.post("/api/v1/chat", json={"sender": sender, "message": message, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def texts(body) -> str:
    return " ".join(r["text"] or "" for r in body["replies"])


def pushed_case(client, **changes) -> str:
    number = new_case_number("CH")
    values = {"status": "needs_more_documents", "note": "请补交户口本复印件",
              "updated_at": "2024-05-08T10:00:00+08:00", **changes}
    body = record(number, **values)
    answer = client.post("/api/v1/data/cases", json=[body], headers=auth("exit_entry")).json()
    assert answer["created"] == 1
    return number


def test_pushed_case_is_found_in_chinese_step_by_step(chat_client):
    number = pushed_case(chat_client)
    sender = new_sender()
    first = say(chat_client, sender, "帮我查一下我的办件进度")
    assert first["topic"] == "case_status" and "办件编号" in texts(first)
    second = say(chat_client, sender, number)
    assert second["topic"] == "case_status" and "后四位" in texts(second)
    third = say(chat_client, sender, "尾号5678")
    reply = texts(third)
    assert third["topic"] == "case_status" and third["lang"] == "zh"
    assert number in reply and "补充材料" in reply and "请补交户口本复印件" in reply
    assert "12345" in reply  # what to do if documents are missing


def test_pushed_case_is_found_in_english_with_both_values_at_once(chat_client):
    number = pushed_case(chat_client, status="ready_for_pickup", note="")
    body = say(chat_client, new_sender(), f"case {number}, phone ends 5678")
    reply = texts(body)
    assert body["lang"] == "en" and body["topic"] == "case_status"
    assert "ready for pickup" in reply and "passport" in reply and reply.isascii()


def test_wrong_suffix_and_unknown_number_get_the_same_answer(chat_client):
    number = pushed_case(chat_client)
    wrong = say(chat_client, new_sender(), f"case {number}, phone ends 1111")
    unknown = say(chat_client, new_sender(), f"case {new_case_number('CH')}, phone ends 5678")
    assert texts(wrong) == texts(unknown)
    assert "passport" not in texts(wrong) and "documents" not in texts(wrong).split("match")[0]
    assert wrong["topic"] == "case_status"
    zh = texts(say(chat_client, new_sender(), f"办件编号{number}，手机尾号1111"))
    assert "护照" not in zh and "补交" not in zh and "对不上" in zh


def test_five_wrong_checks_lock_the_number_in_the_chat(chat_client):
    number = pushed_case(chat_client)
    guesser = new_sender()
    for attempt in range(5):
        body = say(chat_client, guesser, f"case {number}, phone ends {attempt:04d}")
    assert "locked" in texts(body)
    locked = say(chat_client, guesser, f"case {number}, phone ends 5678")
    assert "locked" in texts(locked) and "passport" not in texts(locked)
    # the stranger's lock is theirs: the owner, in another conversation, still gets the answer
    owner = say(chat_client, new_sender(), f"case {number}, phone ends 5678")
    assert "passport" in texts(owner) and "locked" not in texts(owner)


def test_elderly_mode_gets_the_simpler_wording(chat_client):
    standard = texts(say(chat_client, new_sender(), "查一下办件进度"))
    elderly = texts(say(chat_client, new_sender(), "查一下办件进度", mode="elderly"))
    assert standard != elderly and "慢慢说" in elderly


def test_book_with_buttons_then_cancel_by_code(chat_client, chat_sessions):
    appointments.ensure_slots(chat_sessions, days=14)
    sender = new_sender()
    ask_matter = say(chat_client, sender, "I want to book an appointment")
    assert ask_matter["topic"] == "book_appointment"
    matter_button = next(b for r in ask_matter["replies"] for b in r["buttons"] if "passport" in b["payload"])
    ask_day = say(chat_client, sender, matter_button["payload"])
    assert ask_day["topic"] == "book_appointment"
    day_button = ask_day["replies"][-1]["buttons"][0]
    ask_time = say(chat_client, sender, day_button["payload"])
    time_button = ask_time["replies"][-1]["buttons"][0]
    confirm = say(chat_client, sender, time_button["payload"])
    assert "confirm" in texts(confirm).lower() or "book it" in texts(confirm).lower()
    done = say(chat_client, sender, "/affirm")
    code = next(word.strip(".") for word in texts(done).split() if word.startswith("YY"))
    assert done["topic"] == "book_appointment"
    with chat_sessions() as session:
        booking = session.execute(select(Booking).where(Booking.code == code)).scalar_one()
    assert booking.status == "booked" and booking.matter_id == "passport"
    assert str(booking.slot_id) in time_button["payload"]
    cancelled = say(chat_client, new_sender(), f"cancel my appointment {code}")
    assert cancelled["topic"] == "cancel_appointment" and "cancelled" in texts(cancelled)
    with chat_sessions() as session:
        assert session.execute(select(Booking.status).where(Booking.code == code)).scalar_one() == "cancelled"


def test_handoff_creates_a_ticket_with_the_redacted_conversation(chat_client, chat_sessions):
    sender = new_sender()
    say(chat_client, sender, "查一下办件进度")
    say(chat_client, sender, "我的手机是13800135678")
    body = say(chat_client, sender, "转人工")
    assert body["topic"] == "human_handoff"
    reference = next(w for w in texts(body).replace("，", " ").replace("。", " ").split() if w.startswith("RG"))
    with chat_sessions() as session:
        ticket = session.execute(select(HandoffTicket).where(HandoffTicket.reference == reference)).scalar_one()
    transcript = json.loads(ticket.transcript)
    assert [line["who"] for line in transcript][:2] == ["user", "bot"]
    assert "13800135678" not in ticket.transcript and "<PHONE>" in ticket.transcript
    assert ticket.status == "open" and ticket.sender_ref and sender not in ticket.sender_ref
