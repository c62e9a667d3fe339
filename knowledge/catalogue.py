"""The service-matter catalogue: one YAML file per matter and per life event, validated on load.

The catalogue is the single source of the facts the assistant tells people (materials, fees,
windows, hours, questions and answers). Responses, NLU lookup tables and the jieba dictionary are
generated from it (``knowledge/generate.py``), the API serves it, and the actions read it. A file
with a mistake must fail loudly and say which file and which field, because a silently wrong fee
or window sends real people to the wrong place.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml
from pydantic import BaseModel, Extra, Field, ValidationError, root_validator, validator

from assistant.core.topics import LIFE_EVENTS, MATTERS
from assistant.errors import CivicError

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
LANGS = ("zh", "en")


class CatalogueError(CivicError):
    """A catalogue file is missing, unreadable or breaks the schema; the message names file and field."""


def _repeated(values: Iterable[str]) -> List[str]:
    """The values that occur more than once, sorted (for an error that names them)."""
    seen = list(values)
    return sorted({v for v in seen if seen.count(v) > 1})


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Text(_Strict):
    """The same thing said in both languages; both are required."""

    zh: str = Field(..., min_length=1)
    en: str = Field(..., min_length=1)

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Terms(_Strict):
    zh: List[str] = Field(default_factory=list)
    en: List[str] = Field(default_factory=list)

    def __call__(self, lang: str) -> List[str]:
        return self.en if lang == "en" else self.zh


class Material(_Strict):
    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")  # shared ids let life events de-duplicate
    name: Text
    form: str = Field(..., regex=r"^(original|copy|original_and_copy)$")
    copies: int = Field(1, ge=1, le=10)
    notes: Optional[Text] = None
    when: Optional[Text] = None  # only needed in some cases ("if married")


class ProcessingTime(_Strict):
    statutory_days: int = Field(..., ge=0, le=365)  # working days the law allows
    promised_days: int = Field(..., ge=0, le=365)  # what this city promises (0 = same day)
    notes: Optional[Text] = None

    @root_validator(skip_on_failure=True)
    def _promise_within_law(cls, values: dict) -> dict:
        if values["promised_days"] > values["statutory_days"]:
            raise ValueError("promised_days cannot exceed statutory_days")
        return values


class Channels(_Strict):
    online: bool
    in_person: bool
    online_via: Optional[Text] = None


class Place(_Strict):
    hall: Text
    window: Text
    address: Text
    hours: Text


class QA(_Strict):
    q: Text
    a: Text
    also: Terms = Field(default_factory=Terms)  # other ways people ask the same question


#: the kinds of applicant for whom a matter can differ from the default adult answer
APPLICANT_KINDS = ("minor", "senior", "agent", "foreigner", "disabled")


class Variant(_Strict):
    """What differs when the applicant is a child, a senior, an agent, a foreigner or disabled.

    Kept beside the default answer so the assistant never gives the adult answer to a parent asking
    about a child's passport, or the citizens' answer to a foreign national.
    """

    who: str = Field(..., regex=r"^(" + "|".join(APPLICANT_KINDS) + r")$")
    note: Text
    #: extra or replacing documents for this kind of applicant (None: the usual list)
    materials: Optional[List[Material]] = None


class Matter(_Strict):
    id: str
    version: str = Field(..., min_length=1)
    name: Text
    summary: Text
    synonyms: Terms
    department: Text
    eligibility: Text
    materials: List[Material] = Field(..., min_items=1)
    fees: Text
    fee_amount_yuan: float = Field(..., ge=0)
    time: ProcessingTime
    channels: Channels
    where: Place
    legal_basis: List[Text] = Field(..., min_items=1)
    faq: List[QA] = Field(..., min_items=2)
    related: List[str] = Field(default_factory=list)
    #: can someone else apply, what the agent brings, and when in person is required
    proxy: Optional[Text] = None
    #: time limit to apply and what happens if late, or that there is none
    deadline: Optional[Text] = None
    #: how and where the result is collected
    collect: Optional[Text] = None
    variants: List[Variant] = Field(default_factory=list)
    #: how the office that handles the matter takes appointments
    booking: Optional[Text] = None
    #: False when the matter is handled outside the main service hall (it cannot be booked here)
    bookable_here: bool = True

    def variant(self, who: str) -> Optional[Variant]:
        """The variant for this kind of applicant, if the catalogue has one."""
        return next((v for v in self.variants if v.who == who), None)

    @validator("id")
    def _known_id(cls, value: str) -> str:
        if value not in MATTERS:
            raise ValueError(f"unknown matter id {value!r}; expected one of {', '.join(MATTERS)}")
        return value

    @validator("related", each_item=True)
    def _related_known(cls, value: str) -> str:
        if value not in MATTERS:
            raise ValueError(f"related matter {value!r} is not a matter id")
        return value

    @validator("materials")
    def _unique_materials(cls, value: List[Material]) -> List[Material]:
        dupes = _repeated(m.id for m in value)
        if dupes:
            raise ValueError(f"material ids repeated: {', '.join(dupes)}")
        return value

    @validator("variants")
    def _one_variant_per_kind(cls, value: List[Variant]) -> List[Variant]:
        dupes = _repeated(v.who for v in value)
        if dupes:
            raise ValueError(f"more than one variant for: {', '.join(dupes)}")
        return value

    @root_validator(skip_on_failure=True)
    def _booking_elsewhere(cls, values: dict) -> dict:
        # a matter not booked in the hall must say how its own office takes appointments
        if not values.get("bookable_here", True) and values.get("booking") is None:
            raise ValueError("bookable_here is false, so booking (how that office takes appointments) is required")
        return values


class EventStep(_Strict):
    matter: str
    order: int = Field(..., ge=1)
    note: Text
    deadline: Optional[Text] = None
    #: which of the matter's materials this event needs (default: all of them)
    materials: Optional[List[str]] = None

    @validator("matter")
    def _known_matter(cls, value: str) -> str:
        if value not in MATTERS:
            raise ValueError(f"step matter {value!r} is not a matter id")
        return value


class LifeEvent(_Strict):
    id: str
    version: str = Field(..., min_length=1)
    name: Text
    summary: Text
    synonyms: Terms
    steps: List[EventStep] = Field(..., min_items=2)

    @validator("id")
    def _known_id(cls, value: str) -> str:
        if value not in LIFE_EVENTS:
            raise ValueError(f"unknown life event id {value!r}; expected one of {', '.join(LIFE_EVENTS)}")
        return value


@dataclass(frozen=True)
class Catalogue:
    matters: Dict[str, Matter]
    events: Dict[str, LifeEvent]

    def matter(self, matter_id: str) -> Matter:
        from assistant.errors import NotFoundError

        try:
            return self.matters[matter_id]
        except KeyError as err:
            raise NotFoundError(f"no service matter with id {matter_id!r}") from err

    def event(self, event_id: str) -> LifeEvent:
        from assistant.errors import NotFoundError

        try:
            return self.events[event_id]
        except KeyError as err:
            raise NotFoundError(f"no life event with id {event_id!r}") from err

    def step_note(self, key: str) -> Optional[QA]:
        """A life event's note on one of its steps ("retiring/medical_insurance": you pay nothing
        more after retiring), as a Q&A the answer ranker weighs beside the matter's own answers:
        inside the event it is often the answer ("will I still pay medical insurance"). ``key``
        is ``event/matter``; the note's question is the key itself."""
        event_id, _, matter_id = key.partition("/")
        event = self.events.get(event_id)
        step = next((s for s in event.steps if s.matter == matter_id), None) if event else None
        return None if step is None else QA(q=Text(zh=key, en=key), a=step.note)


def field_path(location: tuple) -> str:
    """A pydantic error location as a field path: ``materials[0].name.zh``."""
    parts: List[str] = []
    for item in location:
        if item == "__root__":
            continue
        parts.append(f"[{item}]" if isinstance(item, int) else ("." if parts else "") + str(item))
    return "".join(parts) or "(file)"


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise CatalogueError(f"{path.name}: cannot read YAML: {err}") from err
    if not isinstance(data, dict):
        raise CatalogueError(f"{path.name}: expected a mapping at the top level")
    return data


def _parse(model: type, path: Path) -> BaseModel:
    data = _read(path)
    try:
        parsed = model.parse_obj(data)
    except ValidationError as err:
        problems = "; ".join(f"field {field_path(e['loc'])}: {e['msg']}" for e in err.errors())
        raise CatalogueError(f"{path.name}: {problems}") from err
    if parsed.id != path.stem:
        raise CatalogueError(f"{path.name}: field id: {parsed.id!r} must match the file name")
    return parsed


def load_catalogue(directory: Path = CATALOGUE_DIR, require_all: bool = True) -> Catalogue:
    """Read and validate every file; ``require_all`` insists on a file for every id in ``topics.MATTERS`` and ``LIFE_EVENTS``."""
    matters: Dict[str, Matter] = {}
    for path in sorted(directory.glob("*.yaml")):
        matter = _parse(Matter, path)
        matters[matter.id] = matter  # type: ignore[attr-defined]
    events: Dict[str, LifeEvent] = {}
    for path in sorted((directory / "life_events").glob("*.yaml")):
        event = _parse(LifeEvent, path)
        events[event.id] = event  # type: ignore[attr-defined]
    if require_all:
        missing = [m for m in MATTERS if m not in matters] + [e for e in LIFE_EVENTS if e not in events]
        if missing:
            raise CatalogueError(f"{directory}: missing catalogue files for {', '.join(missing)}")
    for event in events.values():
        for index, step in enumerate(event.steps):
            known = {m.id for m in matters[step.matter].materials} if step.matter in matters else set()
            for material in step.materials or []:
                if step.matter in matters and material not in known:
                    raise CatalogueError(
                        f"life_events/{event.id}.yaml: field steps[{index}].materials: "
                        f"{material!r} is not a material of {step.matter}")
    for matter in matters.values():
        for other in matter.related:
            if require_all and other not in matters:
                raise CatalogueError(f"{matter.id}.yaml: field related: {other!r} has no file")
    return Catalogue(matters=matters, events=events)


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    """The shipped catalogue (the YAML files), loaded once per process."""
    return load_catalogue()


_applied: Tuple[object, Optional[Catalogue]] = (None, None)
_applied_lock = threading.RLock()  # rebuilding dependants reads the catalogue


def with_overrides(shipped: Catalogue, overrides: Dict[str, dict]) -> Catalogue:
    """The shipped catalogue with staff's published matters in place of the YAML ones. An
    override that no longer validates (the schema moved on) is skipped, never half-applied."""
    matters = dict(shipped.matters)
    for matter_id, content in overrides.items():
        if matter_id not in matters:
            continue
        try:
            matters[matter_id] = Matter.parse_obj(content)
        except ValidationError as err:
            from assistant.logs import log_event

            log_event("catalogue.published.invalid", matter=matter_id, problems=len(err.errors()))
    return Catalogue(matters=matters, events=shipped.events)


def get_catalogue() -> Catalogue:
    """The catalogue the assistant answers from: the YAML with staff's published edits on top
    (issue 17). Every answer path (the actions, ``knowledge/answers.py``, the search index, the
    semantic matcher and ranker, the API) reads it here, so a publication reaches them all; the
    objects built from the old content are rebuilt when it changes (``knowledge/catalogue_refresh.py``)."""
    global _applied
    from knowledge.published import current

    shipped = shipped_catalogue()
    stamp, overrides = current()
    if _applied[0] == stamp and _applied[1] is not None:
        return _applied[1]
    with _applied_lock:
        if _applied[0] != stamp or _applied[1] is None:
            before = _applied[1]
            _applied = (stamp, with_overrides(shipped, overrides) if overrides else shipped)
            if before is not None and before is not _applied[1]:
                from knowledge.catalogue_refresh import drop

                drop(before, _applied[1])
        return _applied[1]  # type: ignore[return-value]
