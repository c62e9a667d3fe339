"""The catalogue API for the pages, the kiosk and other systems.

``GET /api/v1/matters`` (every matter, both languages: the hand-written catalogue's, then the
imported ones, each with ``source``), ``GET /api/v1/matters/{id}`` (one, in full),
``GET /api/v1/life-events/{id}`` (the combined checklist) and ``GET /api/v1/search`` (ranked,
typo- and homophone-tolerant). Plain ``def`` routes: the catalogue is in memory (imported matters
are re-read only after an import) and the search is CPU work, so they run in the thread pool and
never block the event loop.
"""

from __future__ import annotations

from typing import Dict, Literal, Optional

from fastapi import APIRouter, Query, Request

from assistant.errors import InputError, NotFoundError
from knowledge.catalogue import get_catalogue
from knowledge.imported import ImportedMatter
from knowledge.life_events import combined_checklist
from knowledge.search import get_index

router = APIRouter(prefix="/api/v1", tags=["catalogue"])
Lang = Literal["zh", "en"]


def _imported(request: Request) -> Dict[str, ImportedMatter]:
    live = getattr(request.app.state, "imported_catalogue", None)
    return live.matters() if live is not None else {}


@router.get("/matters")
def list_matters(request: Request) -> dict:
    """Every service matter with its names in both languages and where it is handled."""
    catalogue = get_catalogue()
    own = [{"id": m.id, "source": "catalogue", "version": m.version, "name": m.name.dict(),
            "summary": m.summary.dict(), "department": m.department.dict(), "online": m.channels.online,
            "window": m.where.window.dict(), "related": m.related} for m in catalogue.matters.values()]
    imported = [m.summary() for m in _imported(request).values() if m.id not in catalogue.matters]
    return {"matters": own + imported, "life_events": [
        {"id": e.id, "name": e.name.dict(), "summary": e.summary.dict()} for e in catalogue.events.values()
    ]}


@router.get("/matters/{matter_id}")
def get_matter(matter_id: str, request: Request) -> dict:
    """One matter in full: eligibility, materials, fees, time, where, legal basis, Q&A, related."""
    catalogue = get_catalogue()
    if matter_id in catalogue.matters:
        return catalogue.matter(matter_id).dict()
    found = _imported(request).get(matter_id)
    if found is None:
        raise NotFoundError(f"no service matter with id {matter_id!r}")
    return found.as_dict()


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
    get_catalogue()  # notices a publication first, so the index is built from what staff published
    hits = get_index().search(q, lang, limit=limit or 5)
    return {"query": q, "lang": lang, "results": [h.as_dict() for h in hits]}
