"""Handoff to a person: a ticket for staff with the conversation so far, redacted.

The transcript is what lets a staff member pick up without asking everything again; it is also
personal data, so ID numbers, phones, names and case numbers are replaced (``analytics.redact``)
before anything is stored. The WeChat and staff-dashboard helpers read tickets from here.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from analytics.redact import redact
from assistant.logs import log_event
from knowledge.clock import utcnow
from knowledge.models import TICKET_STATUSES, HandoffTicket

MAX_TRANSCRIPT_LINES = 40
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Ticket:
    reference: str
    status: str
    topic: Optional[str]
    lang: str
    channel: str
    transcript: List[Dict[str, str]]
    created_at: str


def transcript_from_events(events: Sequence[Dict[str, Any]]) -> List[Dict[str, str]]:
    """``[{"who": "user"|"bot", "text": ...}]`` from Rasa tracker events, redacted, newest last."""
    lines = [{"who": str(event.get("event")), "text": str(event["text"])} for event in events
             if event.get("event") in ("user", "bot") and event.get("text")]
    return safe_transcript(lines)


def safe_transcript(lines: Sequence[Dict[str, Any]]) -> List[Dict[str, str]]:
    """What a ticket stores of a transcript: the last lines, each redacted and cut to 500 characters.

    Redaction comes before the cut, so a number cut in half at character 500 cannot slip through
    as two harmless-looking halves."""
    return [{"who": str(line.get("who", "user"))[:8], "text": redact(str(line.get("text", "")))[:500]}
            for line in lines][-MAX_TRANSCRIPT_LINES:]


def create_ticket(sessions: sessionmaker, sender_ref: str, transcript: List[Dict[str, str]],
                  channel: str = "", lang: str = "zh", topic: Optional[str] = None,
                  reason: str = "") -> Ticket:
    now = utcnow()
    reference = "RG" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    safe = safe_transcript(transcript)
    with sessions.begin() as session:
        session.add(HandoffTicket(
            reference=reference, sender_ref=sender_ref[:32], channel=channel[:20], lang=lang[:8],
            topic=(topic or None) and topic[:40], reason=redact(reason)[:1000],
            transcript=json.dumps(safe, ensure_ascii=False), status="open",
            created_at=now, updated_at=now))
    log_event("handoff.ticket", reference=reference, channel=channel, topic=topic, lines=len(safe))
    return Ticket(reference, "open", topic, lang, channel, safe, now.isoformat() + "Z")


def open_tickets(session: Session, limit: int = 50) -> List[Ticket]:
    rows = session.execute(select(HandoffTicket).where(HandoffTicket.status != "closed")
                           .order_by(HandoffTicket.created_at).limit(limit)).scalars()
    return [_view(t) for t in rows]


def get_ticket(session: Session, reference: str) -> Optional[Ticket]:
    row = session.execute(select(HandoffTicket).where(HandoffTicket.reference == reference)).scalar()
    return _view(row) if row else None


def set_status(sessions: sessionmaker, reference: str, status: str) -> bool:
    if status not in TICKET_STATUSES:
        raise ValueError(f"status must be one of {', '.join(TICKET_STATUSES)}")
    with sessions.begin() as session:
        return session.execute(update(HandoffTicket).where(HandoffTicket.reference == reference)
                               .values(status=status, updated_at=utcnow())).rowcount == 1


def _view(row: HandoffTicket) -> Ticket:
    return Ticket(row.reference, row.status, row.topic, row.lang, row.channel,
                  json.loads(row.transcript or "[]"), row.created_at.isoformat() + "Z")
