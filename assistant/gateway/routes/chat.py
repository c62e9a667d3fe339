"""``POST /api/v1/chat``: the assistant's own chat API (web page, kiosk, other systems)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assistant.core.turns import Turn
from assistant.gateway.deps import CoreDep
from assistant.gateway.schemas import ChatRequest, ChatResponse

router = APIRouter(prefix="/api/v1", tags=["chat"])


@router.post("/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, core: CoreDep) -> JSONResponse:
    """Send one message; get the replies, the language, and what the turn was about."""
    result = await core.handle(
        Turn(sender=body.sender, text=body.message, channel="web", lang=body.lang, mode=body.mode)
    )
    # Built and typed by ChatResponse, returned as-is: FastAPI would otherwise validate it twice.
    return JSONResponse(ChatResponse.from_result(result).dict())
