"""Human handoff: a ticket for staff with the conversation so far (redacted), and a reference
the person can quote. Leaves any form that was active, so the next message starts fresh."""

from __future__ import annotations

from typing import Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import data_access as data
from actions.guide import ActionGuide
from assistant.logs import log_event, pseudonym
from knowledge import cues
from knowledge.handoff import create_ticket, transcript_from_events

FORM_SLOTS = ("case_number", "phone_last4", "appointment_matter", "appointment_day",
              "appointment_slot", "appointment_confirm", "booking_code")


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        text = data.own_words(tracker)
        if text and not tracker.active_loop.get("name") and not cues.says(text, "handoff"):
            # the classifier heard "find a person" in words that ask for none ("我听不懂字太多" wants
            # simpler words, "有人打电话让我买理财" is a scam): the guide answers what was asked
            return ActionGuide().run(dispatcher, tracker, domain)
        events: List[Dict] = [SlotSet("topic", "human_handoff")]
        if tracker.active_loop.get("name"):
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        events += [SlotSet(name, None) for name in FORM_SLOTS]
        previous_topic = tracker.get_slot("topic")
        try:
            ticket = create_ticket(
                data.sessions(), pseudonym(tracker.sender_id, data.settings().id_salt),
                transcript_from_events(tracker.events), channel=data.channel(tracker),
                lang=data.language(tracker),
                topic=previous_topic if previous_topic != "human_handoff" else None,
                reason=data.latest_text(tracker),
            )
        except Exception as err:  # the person still gets a way to reach a human
            log_event("handoff.error", error=type(err).__name__)
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return events
        dispatcher.utter_message(response="utter_handoff_created", reference=ticket.reference,
                                 json_message={"handoff": {"reference": ticket.reference}})
        return events
