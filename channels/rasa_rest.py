"""Rasa's REST channel contract at ``POST /webhooks/rest/webhook``: ``{"sender", "message",
"metadata"?}`` -> ``[{"recipient_id", "text", "buttons"?}]``.

The one change to Rasa's contract (issue 15): ``sender`` must be an id this gateway issued
(``POST /api/v1/session``), or left out, and then a new one is issued and returned as every
message's ``recipient_id`` for the client to send next time. Rasa's own REST channel lets the
caller name any conversation, so anyone who guessed or saw a sender ("alice", "user1", an id in a
client's log) could read that conversation back with "say that again"; Rasa's answer is a JWT per
sender, ours is the same signed id the web and kiosk use. Any other sender is a 401.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from assistant.core.identity import issue_sender
from assistant.core.turns import Turn, TurnResult
from assistant.gateway.deps import SettingsDep, get_core
from assistant.gateway.routes.chat import require_issued
from assistant.gateway.schemas import MAX_MESSAGE_CHARS

router = APIRouter(tags=["channels"])


class RestMessage(BaseModel):
    sender: Optional[str] = Field(None, max_length=200)
    message: str = Field(..., min_length=1, max_length=MAX_MESSAGE_CHARS)
    metadata: Optional[Dict[str, Any]] = None


def to_rasa_messages(result: TurnResult) -> List[Dict[str, Any]]:
    """Rasa drops empty fields, so ``buttons`` appears only when there are buttons."""
    out: List[Dict[str, Any]] = []
    for reply in result.replies:
        message: Dict[str, Any] = {"recipient_id": result.sender, "text": reply.text}
        if reply.buttons:
            message["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
        if reply.custom:
            message["custom"] = reply.custom
        out.append(message)
    return out


@router.post("/webhooks/rest/webhook")
async def rest_webhook(body: RestMessage, settings: SettingsDep, request: Request) -> List[Dict[str, Any]]:
    sender = (require_issued(settings, "rest", body.sender) if body.sender
              else issue_sender(settings.session_secret))
    core = get_core(request)  # after the sender's check: a 401 does not depend on the model
    metadata = body.metadata or {}
    lang = metadata.get("lang") if metadata.get("lang") in ("zh", "en") else None
    mode = metadata.get("mode") if metadata.get("mode") in ("standard", "elderly") else None
    turn = Turn(sender=sender, text=body.message, channel="rest",
                lang=lang, mode=mode)
    return to_rasa_messages(await core.handle(turn))
