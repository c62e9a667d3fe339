"""Handoff tickets keep the conversation for staff, without personal data."""

from __future__ import annotations

from knowledge.handoff import create_ticket, get_ticket, open_tickets, set_status, transcript_from_events


def test_ticket_transcript_is_redacted_and_readable_back(sessions):
    events = [
        {"event": "user", "text": "我的身份证号是110101199003074514，手机13800135678"},
        {"event": "bot", "text": "请告诉我办件编号"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "my email is ann@example.com, transfer me"},
    ]
    transcript = transcript_from_events(events)
    assert [line["who"] for line in transcript] == ["user", "bot", "user"]
    ticket = create_ticket(sessions, "pseudonym123", transcript, channel="web", lang="zh",
                           topic="case_status", reason="转人工 13800135678")
    with sessions() as session:
        stored = get_ticket(session, ticket.reference)
        assert ticket.reference in [t.reference for t in open_tickets(session, limit=500)]
    text = str(stored.transcript)
    assert "110101199003074514" not in text and "13800135678" not in text and "ann@example.com" not in text
    assert "<ID>" in text and "<PHONE>" in text and "<EMAIL>" in text
    assert stored.topic == "case_status" and stored.status == "open"
    assert set_status(sessions, ticket.reference, "closed")
    with sessions() as session:
        assert get_ticket(session, ticket.reference).status == "closed"
