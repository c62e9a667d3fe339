"""Which service matter or capability a turn was about (the chat API's ``topic``).

Pure: decided from the intent the model predicted and the ``topic`` slot that actions set when
they know better (a form about case status, a clarification with a best guess).
"""

from __future__ import annotations

import re
from typing import Optional

MATTERS = (
    "id_card", "household_registration", "passport", "residence_permit", "social_security",
    "pension_certification", "medical_insurance", "provident_fund", "business_license",
    "marriage_registration", "birth_registration", "driver_license", "elderly_allowance",
    "property_registration", "individual_tax", "disability_certificate", "social_security_card",
    "food_business_permit", "pension_claim", "death_registration", "funeral_subsidy",
)
CAPABILITIES = (
    "case_status", "book_appointment", "cancel_appointment", "service_hall_info",
    "human_handoff", "feedback", "repeat", "greet", "goodbye", "out_of_scope",
)
LIFE_EVENTS = ("having_a_baby", "retiring", "starting_a_business", "moving_to_the_city", "bereavement")
TOPICS = frozenset(MATTERS + CAPABILITIES + LIFE_EVENTS)

#: A matter id of the city's imported list (issue 17: jz_mz_004): a topic when our action sets it,
#: since the list grows without the model or this module knowing its ids.
_LISTED_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")

#: Intents whose names are not topic ids themselves.
_INTENT_TOPICS = {"nlu_fallback": "out_of_scope"}
#: Intents that continue whatever the conversation was about ("yes", "no").
_CONTINUING = {"affirm", "deny", "inform", "choose"}


def topic_for(intent: Optional[str], slot_topic: Optional[str], topic_set_this_turn: bool) -> str:
    """The turn's topic; ``out_of_scope`` when nothing fits.

    Args:
        intent: the predicted intent name (may carry a retrieval suffix: ``faq/fees``).
        slot_topic: the ``topic`` slot after the turn.
        topic_set_this_turn: whether an action set the slot during this turn, which beats the
            intent (the action saw the whole context).
    """
    if topic_set_this_turn and (slot_topic in TOPICS or _LISTED_ID.match(slot_topic or "")):
        return slot_topic  # type: ignore[return-value]
    base = (intent or "").split("/")[0]
    for prefix in ("ask_", "matter_", "event_"):
        if base.startswith(prefix) and base[len(prefix):] in TOPICS:
            return base[len(prefix):]
    if base in TOPICS:
        return base
    if base in _CONTINUING and slot_topic in TOPICS:
        return slot_topic  # type: ignore[return-value]
    return _INTENT_TOPICS.get(base, "out_of_scope")
