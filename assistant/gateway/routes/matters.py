"""The catalogue API for the pages, the kiosk and other systems.

``GET /api/v1/matters`` (every matter, both languages), ``GET /api/v1/matters/{id}`` (one, in
full), ``GET /api/v1/life-events/{id}`` (the combined checklist) and ``GET /api/v1/search``
(ranked, typo- and homophone-tolerant). Plain ``def`` routes: the catalogue is in memory and the
search is CPU work, so they run in the thread pool and never block the event loop.
"""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Query

from assistant.errors import InputError
from knowledge.catalogue import get_catalogue
from knowledge.life_events import combined_checklist
from knowledge.search import get_index

router = APIRouter(prefix="/api/v1", tags=["catalogue"])
Lang = Literal["zh", "en"]


@router.get("/matters")
def list_matters() -> dict:
    """Every service matter with its names in both languages and where it is handled."""
    catalogue = get_catalogue()
    return {"matters": [
        {"id": m.id, "version": m.version, "name": m.name.dict(), "summary": m.summary.dict(),
         "department": m.department.dict(), "online": m.channels.online,
         "window": m.where.window.dict(), "related": m.related}
        for m in catalogue.matters.values()
    ], "life_events": [
        {"id": e.id, "name": e.name.dict(), "summary": e.summary.dict()} for e in catalogue.events.values()
    ]}


@router.get("/matters/{matter_id}")
def get_matter(matter_id: str) -> dict:
    """One matter in full: eligibility, materials, fees, time, where, legal basis, Q&A, related."""
    return get_catalogue().matter(matter_id).dict()


@router.get("/life-events/{event_id}")
def get_life_event(event_id: str, lang: Lang = "zh") -> dict:
    """The life event's combined checklist: steps in order with where, each document once."""
    catalogue = get_catalogue()
    return combined_checklist(catalogue, catalogue.event(event_id), lang).as_dict()


@router.get("/search")
def search(q: str = Query(..., max_length=200), lang: Lang = "zh",
           limit: Optional[int] = Query(5, ge=1, le=20)) -> dict:
    """Matters and life events for what a person typed, best first (empty list when none fit)."""
    if not q.strip():
        raise InputError("q must not be empty")
    hits = get_index().search(q, lang, limit=limit or 5)
    return {"query": q, "lang": lang, "results": [h.as_dict() for h in hits]}
