"""The service-hall kiosk's endpoints.

``POST /api/v1/kiosk/chat``: same body and answer as ``POST /api/v1/chat`` (the sender comes
from ``POST /api/v1/session``); the only differences are what the kiosk is: the turn's channel is ``kiosk`` (so the
analytics can tell the hall from the web) and the mode defaults to ``elderly``.

``GET /api/v1/kiosk/top-matters``: the matters people ask about most, from the latest analytics
period (aggregate counts only, nothing personal), so the kiosk puts the busiest tiles first.
"""

from __future__ import annotations

from typing import Iterable, List, Optional

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from assistant.core.topics import MATTERS
from assistant.core.turns import Turn
from assistant.gateway.deps import CoreDep, SessionsDep, SettingsDep
from assistant.gateway.routes.chat import require_issued
from assistant.logs import log_event
from assistant.gateway.schemas import ChatRequest, ChatResponse

router = APIRouter(prefix="/api/v1/kiosk", tags=["channels"])

KIOSK_DEFAULT_MODE = "elderly"


def kiosk_turn(body: ChatRequest) -> Turn:
    return Turn(sender=body.sender, text=body.message, channel="kiosk", lang=body.lang,
                mode=body.mode or KIOSK_DEFAULT_MODE)


@router.post("/chat", response_model=ChatResponse)
async def kiosk_chat(body: ChatRequest, core: CoreDep, settings: SettingsDep) -> ChatResponse:
    """One kiosk message; elderly mode unless the body says ``"mode": "standard"``. The sender
    is an id from ``POST /api/v1/session``."""
    require_issued(settings, "kiosk", body.sender)
    return ChatResponse.from_result(await core.handle(kiosk_turn(body)))


def rank_matters(rows: Iterable[dict], channel: str = "kiosk") -> List[str]:
    """Matter ids by conversations, most first, from the analytics ``topics`` figure.

    The figure is a cube over (channel, mode): a null channel/mode is the roll-up. The kiosk's
    own channel is preferred (what people ask at a hall differs from the web); without kiosk
    data, every channel together.
    """
    def pick(want: Optional[str]) -> List[dict]:
        return [r for r in rows if r.get("kind") == "matter" and r.get("topic") in MATTERS
                and r.get("channel") == want and r.get("mode") is None]

    rows = list(rows)
    chosen = pick(channel) or pick(None)
    chosen.sort(key=lambda r: (-(r.get("conversations") or 0), -(r.get("turns") or 0), r["topic"]))
    return [r["topic"] for r in chosen]


@router.get("/top-matters")
def top_matters(sessions: SessionsDep) -> dict:
    """``{"source": "analytics"|"none", "since", "until", "matters": [ids]}``; never an error:
    without analytics the kiosk keeps its own default order."""
    from analytics import store

    try:
        with sessions() as session:
            latest = store.period(session)
            if latest is None:
                return {"source": "none", "matters": []}
            ranked = rank_matters(store.figures(session, latest.id).get("topics", []))
            return {"source": "analytics" if ranked else "none", "since": str(latest.since),
                    "until": str(latest.until), "matters": ranked}
    except SQLAlchemyError as err:  # analytics tables not created yet (no analysis run)
        log_event("kiosk.top_matters.unavailable", error=type(err).__name__)
        return {"source": "none", "matters": []}
