"""The data that crosses between channels and the conversation core."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: List[Button] = field(default_factory=list)
    custom: Optional[Dict[str, Any]] = None  # structured extras (checklists, QR targets)


@dataclass(frozen=True)
class Turn:
    """One user message as a channel hands it to the core."""

    sender: str
    text: str
    channel: str = "web"  # web | wechat | kiosk | rest
    lang: Optional[str] = None  # explicit override; otherwise detected per message
    mode: Optional[str] = None  # standard | elderly


@dataclass(frozen=True)
class TurnResult:
    sender: str
    lang: str
    replies: List[Reply]
    topic: Optional[str]
    intent: Optional[str]
    confidence: Optional[float]
    mode: str = "standard"
    fallback: bool = False
    handoff: bool = False
    slots_set: Dict[str, Any] = field(default_factory=dict)  # e.g. a satisfaction rating given now
    entities: List[Dict[str, Any]] = field(default_factory=list)
    form: Optional[str] = None  # the form (case check, booking, cancelling) waiting for an answer


def reply_from_rasa(message: Dict[str, Any]) -> Reply:
    """Rasa's bot message dict (REST shape or CollectingOutputChannel shape) -> Reply."""
    buttons = [
        Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
        for b in message.get("buttons") or []
    ]
    custom = message.get("custom")
    return Reply(text=message.get("text") or "", buttons=buttons, custom=custom)


def replies_from_rasa(messages: List[Dict[str, Any]]) -> List[Reply]:
    """Rasa's bot messages as bubbles: structured extras that Rasa sends as a message of their own
    (a life event's checklist) ride with the text before them, so no bubble is ever empty."""
    replies: List[Reply] = []
    for message in messages:
        reply = reply_from_rasa(message)
        if not reply.text.strip() and not reply.buttons and replies and replies[-1].custom is None:
            replies[-1] = Reply(replies[-1].text, replies[-1].buttons, reply.custom)
        elif reply.text.strip() or reply.buttons or reply.custom:
            replies.append(reply)
    return replies
