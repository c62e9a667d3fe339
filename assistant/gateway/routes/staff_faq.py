"""The FAQ loop on the staff dashboard (issue 17): an accepted FAQ candidate becomes a Q&A draft
in the catalogue editor, and the dashboard shows whether publishing its answer helped.

``GET /staff/api/editor/faq/{fingerprint}`` is what the editor opens after an acceptance: the
representative question and the examples as a Q&A entry (the answer left for staff to write), and
the matter the catalogue search finds for the question as a suggestion. ``GET
/staff/api/faq/outcomes`` counts, per accepted candidate, its unanswered questions in the analyses
before and after its answer was first published (``analytics/faq_outcome.py``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, Optional

from fastapi import APIRouter, Request
from sqlalchemy import func, select

from analytics import faq_outcome, store
from assistant.errors import InputError, NotFoundError
from assistant.gateway.deps import SessionsDep
from assistant.gateway.routes.staff import CurrentStaff, ensure_tables
from knowledge.catalogue import get_catalogue
from knowledge.editor_models import CatalogueVersion

router = APIRouter(tags=["staff"], include_in_schema=False)


def _fingerprint(value: str) -> str:
    if not (value.isascii() and value.isalnum()) or len(value) != 16:
        raise InputError("fingerprint must be 16 letters or digits")
    return value


def suggest_matter(text: str, lang: str) -> Optional[str]:
    """The hand-written matter the catalogue search finds for the question, if any."""
    from knowledge.search import get_index

    catalogue = get_catalogue()  # first: a publication noticed rebuilds the index
    return next((h.id for h in get_index().search(text, lang, limit=5) if h.id in catalogue.matters), None)


@router.get("/staff/api/editor/faq/{fingerprint}")
def faq_draft(fingerprint: str, request: Request, sessions: SessionsDep, user: CurrentStaff) -> Dict[str, Any]:
    _fingerprint(fingerprint)
    ensure_tables(request.app.state.engine)
    with sessions() as session:
        candidate = session.execute(select(store.FaqCandidate).where(store.FaqCandidate.fingerprint == fingerprint)
                                    .order_by(store.FaqCandidate.id.desc())).scalars().first()
        if candidate is None:
            raise NotFoundError(f"no FAQ candidate {fingerprint}")
        decision = session.get(store.FaqDecision, fingerprint)
    lang, other = candidate.lang, "en" if candidate.lang == "zh" else "zh"
    phrases = [e["text"] for e in json.loads(candidate.examples) if e.get("text") != candidate.representative]
    qa = {"q": {lang: candidate.representative, other: ""}, "a": {"zh": "", "en": ""},
          "also": {lang: phrases, other: []}}
    return {"fingerprint": fingerprint, "lang": lang, "asked": candidate.size,
            "status": decision.status if decision else "new",
            "matter": suggest_matter(candidate.representative, lang), "qa": qa}


def first_publications(session: Any) -> Dict[str, datetime]:
    """When each FAQ candidate's answer was first published."""
    rows = session.execute(select(CatalogueVersion.faq_fingerprint, func.min(CatalogueVersion.published_at))
                           .where(CatalogueVersion.faq_fingerprint.isnot(None),
                                  CatalogueVersion.status == "published")
                           .group_by(CatalogueVersion.faq_fingerprint))
    return {fingerprint: when for fingerprint, when in rows}


@router.get("/staff/api/faq/outcomes")
def outcomes(request: Request, sessions: SessionsDep, user: CurrentStaff) -> Dict[str, Any]:
    ensure_tables(request.app.state.engine)
    with sessions() as session:
        return {"outcomes": faq_outcome.outcomes(session, first_publications(session))}
