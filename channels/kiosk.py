"""The service-hall kiosk's chat endpoint, ``POST /api/v1/kiosk/chat``.

Same body and answer as ``POST /api/v1/chat`` (the contract is unchanged); the only differences
are what the kiosk is: the turn's channel is ``kiosk`` (so the analytics can tell the hall from
the web) and the mode defaults to ``elderly`` (slower speech, shorter replies, bigger everything).
"""

from __future__ import annotations

from fastapi import APIRouter

from assistant.core.turns import Turn
from assistant.gateway.deps import CoreDep
from assistant.gateway.schemas import ChatRequest, ChatResponse

router = APIRouter(prefix="/api/v1/kiosk", tags=["channels"])

KIOSK_DEFAULT_MODE = "elderly"


def kiosk_turn(body: ChatRequest) -> Turn:
    return Turn(sender=body.sender, text=body.message, channel="kiosk", lang=body.lang,
                mode=body.mode or KIOSK_DEFAULT_MODE)


@router.post("/chat", response_model=ChatResponse)
async def kiosk_chat(body: ChatRequest, core: CoreDep) -> ChatResponse:
    """One kiosk message; elderly mode unless the body says ``"mode": "standard"``."""
    return ChatResponse.from_result(await core.handle(kiosk_turn(body)))
