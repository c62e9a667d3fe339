"""Case status: ask for the case number and the last four phone digits, then tell the status in
plain words, what happens next and what to do about missing documents - only if both match.

Both may come in one message ("case SZ2024001234, phone ends 5678"); the extractors read the
raw text, so typed, spoken (ASR) and pasted forms all work. Every turn of the form sets the
``topic`` slot to ``case_status`` so the chat API reports what the conversation is about.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import data_access as data
from actions.form_turns import LOST_RECEIPT, InterruptibleForm, form_left
from actions.parsing import find_case_number, find_phone_last4, looks_like_an_attempt
from assistant.errors import UnavailableError
from assistant.logs import log_event, pseudonym
from knowledge import case_notes
from knowledge.case_check import check_case
from knowledge.clock import utc_to_local
from knowledge.reference import matter_name

TOPIC = "case_status"
#: Intents that mean "I want something else now": the form lets go so their rules can answer.
ESCAPE_INTENTS = {"human_handoff", "book_appointment", "cancel_appointment", "goodbye", "greet",
                  "out_of_scope", "repeat"}


def format_day(value: datetime, lang: str) -> str:
    local = utc_to_local(value)
    if lang == "en":
        return f"{local.day} {local.strftime('%B')} {local.year}"
    return f"{local.year}年{local.month}月{local.day}日"


class ValidateCaseStatusForm(InterruptibleForm, FormValidationAction):
    form_slots = ("case_number", "phone_last4")
    lost_help = LOST_RECEIPT

    def name(self) -> Text:
        return "validate_case_status_form"

    def fills(self, text: str, requested: str, tracker: Tracker) -> bool:
        return bool(find_case_number(text) or looks_like_an_attempt(text) or
                    (requested == "phone_last4" and find_phone_last4(text, anywhere=True)))

    def _escaping(self, tracker: Tracker) -> bool:
        text = data.latest_text(tracker)
        return data.latest_intent(tracker) in ESCAPE_INTENTS and not looks_like_an_attempt(text)

    async def extract_case_number(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        if self._escaping(tracker):
            return {}
        found = find_case_number(data.latest_text(tracker))
        if found:
            return {"case_number": found[0]}
        if tracker.get_slot("requested_slot") == "case_number" and looks_like_an_attempt(
                data.latest_text(tracker)):
            dispatcher.utter_message(response="utter_case_number_invalid")
            return {"case_number": None}
        return {}

    async def extract_phone_last4(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        if self._escaping(tracker):
            return {}
        asked = tracker.get_slot("requested_slot") == "phone_last4"
        digits = find_phone_last4(data.latest_text(tracker), anywhere=asked)
        if digits:
            return {"phone_last4": digits}
        if asked and looks_like_an_attempt(data.latest_text(tracker)):
            dispatcher.utter_message(response="utter_phone_last4_invalid")
            return {"phone_last4": None}
        return {}


class AskCaseNumber(Action):
    def name(self) -> Text:
        return "action_ask_case_number"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        dispatcher.utter_message(response="utter_ask_case_number")
        return data.ask_topic(tracker, TOPIC)


class AskPhoneLast4(Action):
    def name(self) -> Text:
        return "action_ask_phone_last4"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        dispatcher.utter_message(response="utter_ask_phone_last4")
        return data.ask_topic(tracker, TOPIC)


class ActionCheckCase(Action):
    """Runs when the form has both values; the slots are cleared whatever the outcome, so the
    next question starts afresh and a failed pair is never reused."""

    def name(self) -> Text:
        return "action_check_case"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        events: List[Dict] = [SlotSet("case_number", None), SlotSet("phone_last4", None),
                              SlotSet("topic", TOPIC)]
        if form_left(tracker):
            return events + [SlotSet("form_left", None)]
        number: Optional[str] = tracker.get_slot("case_number")
        digits: Optional[str] = tracker.get_slot("phone_last4")
        if not number or not digits:
            dispatcher.utter_message(response="utter_case_not_verified")
            return events
        who = pseudonym(tracker.sender_id, data.settings().id_salt)
        try:
            outcome = check_case(data.sessions(), number, digits, who=who)
        except (UnavailableError, OSError) as err:
            log_event("case.check.unavailable", error=type(err).__name__)
            dispatcher.utter_message(response="utter_data_unavailable")
            return events
        except Exception as err:  # a database error must not crash the conversation
            log_event("case.check.error", error=type(err).__name__)
            dispatcher.utter_message(response="utter_data_unavailable")
            return events
        if outcome.result == "locked":
            dispatcher.utter_message(response="utter_case_locked")
            return events
        if outcome.result != "ok" or outcome.case is None:
            dispatcher.utter_message(response="utter_case_not_verified")
            return events
        case = outcome.case
        lang = data.language(tracker)
        # the case becomes the conversation's subject: "when will it be ready?" is about it
        events += [SlotSet("subject", f"case:{case.case_number}"), SlotSet("case_matter", case.matter_id),
                   SlotSet("case_state", case.status), SlotSet("case_note", case.note or None),
                   SlotSet("aspect", None)]
        dispatcher.utter_message(
            response=f"utter_case_status_{case.status}", case_number=case.case_number,
            matter=matter_name(case.matter_id, lang), updated=format_day(case.updated_at, lang),
        )
        if case.note:
            dispatcher.utter_message(response="utter_case_note", note=case_notes.for_reader(case.note, lang))
        if case.status in ("needs_more_documents", "received", "under_review"):
            dispatcher.utter_message(response="utter_case_missing_documents_help")
        return events

