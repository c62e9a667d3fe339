"""``POST /api/v1/session`` and ``POST /api/v1/chat``: the assistant's own chat API (web page,
kiosk, other systems).

A conversation starts with ``POST /api/v1/session`` (no body), which answers ``{"sender": ...}``:
an id the server issued and signed. The chat calls (here, the kiosk's, the voice turn) send that
id as ``sender``; any other sender is refused with 401, so nobody can address a conversation they
were not given (``assistant.core.identity``).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from assistant.core.identity import is_issued, issue_sender
from assistant.core.turns import Turn
from assistant.errors import AuthError
from assistant.gateway.deps import CoreDep, SettingsDep
from assistant.gateway.schemas import ChatRequest, ChatResponse
from assistant.logs import log_event
from assistant.settings import Settings

router = APIRouter(prefix="/api/v1", tags=["chat"])


class SessionResponse(BaseModel):
    sender: str


def require_issued(settings: Settings, channel: str, sender: str) -> str:
    """``sender`` when this server issued it; AuthError (401) otherwise."""
    if not is_issued(settings.session_secret, sender):
        log_event("chat.sender.refused", channel=channel)
        raise AuthError("sender must be an id issued by POST /api/v1/session")
    return sender


@router.post("/session", response_model=SessionResponse)
def new_session(settings: SettingsDep) -> SessionResponse:
    """A new conversation: the ``sender`` to send with every message of it (web or kiosk)."""
    return SessionResponse(sender=issue_sender(settings.session_secret))


@router.post("/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, core: CoreDep, settings: SettingsDep) -> JSONResponse:
    """Send one message; get the replies, the language, and what the turn was about."""
    sender = require_issued(settings, "web", body.sender)
    result = await core.handle(
        Turn(sender=sender, text=body.message, channel="web", lang=body.lang, mode=body.mode)
    )
    # Built and typed by ChatResponse, returned as-is: FastAPI would otherwise validate it twice.
    return JSONResponse(ChatResponse.from_result(result).dict())
