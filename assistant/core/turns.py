"""The data that crosses between channels and the conversation core."""

from __future__ import annotations

import re
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


#: one bubble fits one phone screen (issue 14, point 9): about 300 Chinese characters or 60 words
SCREEN_ZH_CHARS, SCREEN_EN_WORDS = 290, 58
#: "1." before a list item ends no sentence: the number stays with its item
_SENTENCE_END = {"zh": re.compile(r"(?<=[。！？；\n])"), "en": re.compile(r"(?<=[.!?;])(?<!\d\.)\s+|(?<=\n)")}


def _size(text: str, lang: str) -> int:
    return len(text.split()) if lang == "en" else len(text)


def fit_to_screen(replies: List[Reply], lang: str) -> List[Reply]:
    """A reply longer than a screen goes out as several bubbles, cut where a sentence or line ends,
    so nothing is lost and no bubble is empty; buttons stay with the last bubble, extras with the first."""
    limit = SCREEN_EN_WORDS if lang == "en" else SCREEN_ZH_CHARS
    out: List[Reply] = []
    for reply in replies:
        if _size(reply.text, lang) <= limit:
            out.append(reply)
            continue
        bubbles: List[str] = []
        for piece in (p for p in _SENTENCE_END["en" if lang == "en" else "zh"].split(reply.text) if p and p.strip()):
            joined = f"{bubbles[-1]} {piece}" if lang == "en" and bubbles else (bubbles[-1] + piece if bubbles else piece)
            if bubbles and _size(joined, lang) <= limit:
                bubbles[-1] = joined
            else:
                bubbles.append(piece)
        bubbles = [b.strip() for b in bubbles if b.strip()] or [reply.text]
        out += [Reply(text, reply.buttons if i == len(bubbles) - 1 else [], reply.custom if i == 0 else None)
                for i, text in enumerate(bubbles)]
    return out

