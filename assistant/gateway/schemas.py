"""Request and response bodies of the public HTTP API (pydantic 1)."""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional

from pydantic import BaseModel, Field, StrictStr, validator

from assistant.core.conversation import id_problem
from assistant.core.turns import TurnResult

MAX_MESSAGE_CHARS = 2000


class ButtonOut(BaseModel):
    title: str
    payload: str


class ReplyOut(BaseModel):
    text: str
    buttons: List[ButtonOut] = []
    custom: Optional[Dict[str, Any]] = None


class ChatRequest(BaseModel):
    sender: StrictStr = Field(..., min_length=1, max_length=200, description="Stable id of the person")
    message: StrictStr = Field(..., min_length=1, max_length=MAX_MESSAGE_CHARS)
    lang: Optional[Literal["zh", "en"]] = Field(None, description="Override the detected language")
    mode: Optional[Literal["standard", "elderly"]] = None

    class Config:
        extra = "ignore"

    @validator("sender", "message")
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @validator("sender")
    def _usable_id(cls, value: str) -> str:
        problem = id_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class ChatResponse(BaseModel):
    sender: str
    lang: str
    replies: List[ReplyOut]
    topic: Optional[str]
    intent: Optional[str]
    confidence: Optional[float]
    form: Optional[str] = None

    @classmethod
    def from_result(cls, result: TurnResult) -> "ChatResponse":
        return cls(
            sender=result.sender,
            lang=result.lang,
            replies=[
                ReplyOut(text=r.text, buttons=[ButtonOut(title=b.title, payload=b.payload) for b in r.buttons],
                         custom=r.custom)
                for r in result.replies
            ],
            topic=result.topic,
            intent=result.intent,
            confidence=result.confidence,
            form=result.form,
        )
