"""Rasa's REST channel contract at ``POST /webhooks/rest/webhook``, so existing Rasa clients work
unchanged: ``{"sender", "message", "metadata"?}`` -> ``[{"recipient_id", "text", "buttons"?}]``."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Optional

from fastapi import APIRouter
from pydantic import BaseModel, Field

from assistant.core.turns import Turn, TurnResult
from assistant.gateway.deps import CoreDep
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
async def rest_webhook(body: RestMessage, core: CoreDep) -> List[Dict[str, Any]]:
    metadata = body.metadata or {}
    lang = metadata.get("lang") if metadata.get("lang") in ("zh", "en") else None
    mode = metadata.get("mode") if metadata.get("mode") in ("standard", "elderly") else None
    turn = Turn(sender=body.sender or uuid.uuid4().hex, text=body.message, channel="rest",
                lang=lang, mode=mode)
    return to_rasa_messages(await core.handle(turn))
