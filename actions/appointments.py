"""Booking a service-hall appointment (matter, day, free slot as buttons, confirm, booking code)
and cancelling one by its code. The database decides who gets a place (see
``knowledge.appointments``); if someone takes the last place between the buttons and the
"yes", the person is told and asked to pick another time."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import data_access as data
from actions.form_turns import LOST_CODE, InterruptibleForm, form_left
from actions.parsing import find_booking_code, find_matter, looks_like_an_attempt, parse_day, parse_time
from assistant.core.topics import MATTERS
from assistant.errors import NotFoundError
from assistant.logs import log_event, pseudonym
from knowledge import appointments, booking_guard, replies
from knowledge.clock import local_now
from knowledge.guide import Subject
from knowledge.reference import MATTER_KEYWORDS, matter_name

TOPIC = "book_appointment"
COMMON_MATTERS = ("id_card", "household_registration", "social_security", "medical_insurance",
                  "pension_certification", "passport", "residence_permit", "provident_fund")
ESCAPE_INTENTS = {"human_handoff", "case_status", "cancel_appointment", "goodbye", "greet",
                  "out_of_scope", "repeat"}
YES = ("是", "对", "好", "确认", "可以", "行", "嗯", "yes", "yep", "ok", "okay", "sure", "confirm", "right")
FORM_SLOTS = ("appointment_matter", "appointment_day", "appointment_slot", "appointment_confirm")
NO = ("不", "别", "算了", "取消", "no", "nope", "don't", "cancel", "wrong")
_WEEKDAY_ZH = "一二三四五六日"


def payload(intent: str, **entities: Any) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"


def day_label(day: date, lang: str) -> str:
    if lang == "en":
        return f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"
    return f"{day.month}月{day.day}日（周{_WEEKDAY_ZH[day.weekday()]}）"


def time_label(moment: datetime) -> str:
    return moment.strftime("%H:%M")


class ValidateAppointmentForm(InterruptibleForm, FormValidationAction):
    form_slots = FORM_SLOTS
    at_the_hall = True

    def name(self) -> Text:
        return "validate_appointment_form"

    def fills(self, text: str, requested: str, tracker: Tracker) -> bool:
        if requested == "appointment_matter":
            return find_matter(text, MATTER_KEYWORDS.items()) is not None
        if requested == "appointment_day":
            return parse_day(text, local_now().date()) is not None
        if requested == "appointment_slot":
            return parse_time(text) is not None
        low = text.lower()
        return data.latest_intent(tracker) in ("affirm", "deny") or any(w in low for w in YES + NO)

    def subject(self, tracker: Tracker) -> Optional[Subject]:
        matter = tracker.get_slot("appointment_matter")
        return Subject("matter", matter) if matter in MATTERS else None

    @staticmethod
    def _escaping(tracker: Tracker) -> bool:
        return data.latest_intent(tracker) in ESCAPE_INTENTS

    async def extract_appointment_matter(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                         domain: DomainDict) -> Dict[Text, Any]:
        chosen = data.entity(tracker, "appointment_matter")
        if chosen in MATTERS:
            return {"appointment_matter": chosen}
        if self._escaping(tracker) or tracker.get_slot("appointment_matter"):
            return {}
        found = find_matter(data.latest_text(tracker), MATTER_KEYWORDS.items())
        if found:
            return {"appointment_matter": found}
        if tracker.get_slot("requested_slot") == "appointment_matter":
            dispatcher.utter_message(response="utter_appointment_matter_unknown")
            return {"appointment_matter": None}
        return {}

    async def extract_appointment_day(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        chosen = data.entity(tracker, "appointment_day")
        if chosen:
            return {"appointment_day": chosen}
        if self._escaping(tracker):
            return {}
        asked = tracker.get_slot("requested_slot") == "appointment_day"
        if not asked and tracker.get_slot("appointment_day"):
            return {}
        day = parse_day(data.latest_text(tracker), local_now().date())
        if day:
            return {"appointment_day": day.isoformat()}
        if asked:
            dispatcher.utter_message(response="utter_appointment_day_unavailable")
            return {"appointment_day": None}
        return {}

    def validate_appointment_day(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return {"appointment_day": None}
        with data.sessions()() as session:
            free = appointments.free_slots(session, day)
        if not free:
            dispatcher.utter_message(response="utter_appointment_day_unavailable")
            return {"appointment_day": None}
        return {"appointment_day": day.isoformat()}

    async def extract_appointment_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[Text, Any]:
        chosen = data.entity(tracker, "appointment_slot")
        if chosen:
            return {"appointment_slot": chosen}
        if self._escaping(tracker) or tracker.get_slot("requested_slot") != "appointment_slot":
            return {}
        at = parse_time(data.latest_text(tracker))
        day = tracker.get_slot("appointment_day")
        if at and day:
            with data.sessions()() as session:
                for slot in appointments.free_slots(session, date.fromisoformat(day)):
                    if slot.starts_at.time() == at:
                        return {"appointment_slot": str(slot.id)}
        dispatcher.utter_message(response="utter_appointment_slot_unavailable")
        return {"appointment_slot": None}

    def validate_appointment_slot(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        day = tracker.get_slot("appointment_day")
        if not str(value).isdigit() or not day:
            return {"appointment_slot": None}
        with data.sessions()() as session:
            free = {str(s.id) for s in appointments.free_slots(session, date.fromisoformat(day))}
        if str(value) not in free:
            dispatcher.utter_message(response="utter_appointment_slot_unavailable")
            return {"appointment_slot": None}
        return {"appointment_slot": str(value)}

    async def extract_appointment_confirm(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                          domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "appointment_confirm":
            return {}
        intent = data.latest_intent(tracker)
        text = data.latest_text(tracker).lower()
        if intent == "deny" or any(word in text for word in NO):
            return {"appointment_confirm": "no"}
        if intent == "affirm" or any(word in text for word in YES):
            return {"appointment_confirm": "yes"}
        return {}


class AskAppointmentMatter(Action):
    def name(self) -> Text:
        return "action_ask_appointment_matter"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        lang = data.language(tracker)
        buttons = [{"title": matter_name(m, lang), "payload": payload("choose", appointment_matter=m)}
                   for m in COMMON_MATTERS]
        dispatcher.utter_message(response="utter_ask_appointment_matter", buttons=buttons)
        return data.ask_topic(tracker, TOPIC)


class AskAppointmentDay(Action):
    def name(self) -> Text:
        return "action_ask_appointment_day"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        lang = data.language(tracker)
        with data.sessions()() as session:
            days = appointments.bookable_days(session, limit=6)
        if not days:
            dispatcher.utter_message(response="utter_no_appointment_days")
            return [SlotSet("topic", TOPIC), ActiveLoop(None), SlotSet("requested_slot", None)] + _reset()
        buttons = [{"title": day_label(d, lang), "payload": payload("choose", appointment_day=d.isoformat())}
                   for d in days]
        dispatcher.utter_message(response="utter_ask_appointment_day", buttons=buttons)
        return data.ask_topic(tracker, TOPIC)


class AskAppointmentSlot(Action):
    def name(self) -> Text:
        return "action_ask_appointment_slot"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        lang = data.language(tracker)
        day = date.fromisoformat(tracker.get_slot("appointment_day"))
        with data.sessions()() as session:
            slots = appointments.free_slots(session, day)
        buttons = [{"title": time_label(s.starts_at), "payload": payload("choose", appointment_slot=str(s.id))}
                   for s in slots[:12]]
        dispatcher.utter_message(response="utter_ask_appointment_slot", buttons=buttons,
                                 day=day_label(day, lang))
        return data.ask_topic(tracker, TOPIC)


class AskAppointmentConfirm(Action):
    def name(self) -> Text:
        return "action_ask_appointment_confirm"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        lang = data.language(tracker)
        slot = _slot(tracker)
        yes, no = ("Yes, book it", "No") if lang == "en" else ("确认预约", "不用了")
        dispatcher.utter_message(
            response="utter_ask_appointment_confirm",
            buttons=[{"title": yes, "payload": "/affirm"}, {"title": no, "payload": "/deny"}],
            day=day_label(slot.starts_at.date(), lang) if slot else "", time=time_label(slot.starts_at) if slot else "",
            matter=matter_name(tracker.get_slot("appointment_matter") or "", lang),
        )
        return data.ask_topic(tracker, TOPIC)


def _slot(tracker: Tracker) -> Optional[Any]:
    slot_id = tracker.get_slot("appointment_slot")
    if not slot_id or not str(slot_id).isdigit():
        return None
    from knowledge.models import AppointmentSlot

    with data.sessions()() as session:
        return session.get(AppointmentSlot, int(slot_id))


def _reset() -> List[Dict]:
    return [SlotSet(name, None) for name in FORM_SLOTS]


class ActionBookAppointment(Action):
    def name(self) -> Text:
        return "action_book_appointment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        lang = data.language(tracker)
        if form_left(tracker):
            return _reset() + [SlotSet("form_left", None)]
        if tracker.get_slot("appointment_confirm") != "yes":
            dispatcher.utter_message(response="utter_appointment_not_booked")
            return _reset() + [SlotSet("topic", TOPIC)]
        matter = tracker.get_slot("appointment_matter")
        try:
            booking = appointments.book(
                data.sessions(), int(tracker.get_slot("appointment_slot")), matter,
                sender_ref=pseudonym(tracker.sender_id, data.settings().id_salt),
                channel=data.channel(tracker))
        except (appointments.SlotUnavailable, NotFoundError):
            dispatcher.utter_message(response="utter_appointment_taken_meanwhile")
            return [SlotSet("appointment_slot", None), SlotSet("appointment_confirm", None),
                    SlotSet("topic", TOPIC), FollowupAction("appointment_form")]
        except Exception as err:  # database trouble: say so, never crash the conversation
            log_event("appointment.error", error=type(err).__name__)
            dispatcher.utter_message(response="utter_data_unavailable")
            return _reset() + [SlotSet("topic", TOPIC)]
        dispatcher.utter_message(
            response="utter_appointment_booked", code=booking.code,
            day=day_label(booking.starts_at.date(), lang), time=time_label(booking.starts_at),
            matter=matter_name(booking.matter_id, lang),
            json_message={"booking_code": booking.code, "starts_at": booking.starts_at.isoformat()},
        )
        # the booked matter becomes the subject: "要带啥去", "which window" are about it
        subject = [SlotSet("subject", f"matter:{matter}"), SlotSet("aspect", None)] if matter in MATTERS else []
        return _reset() + [SlotSet("topic", TOPIC)] + subject


class ValidateCancelAppointmentForm(InterruptibleForm, FormValidationAction):
    form_slots = ("booking_code",)
    lost_help = LOST_CODE

    def name(self) -> Text:
        return "validate_cancel_appointment_form"

    def fills(self, text: str, requested: str, tracker: Tracker) -> bool:
        return find_booking_code(text) is not None or looks_like_an_attempt(text)

    async def extract_booking_code(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        text = data.latest_text(tracker)
        code = find_booking_code(text) or (find_booking_code(data.entity(tracker, "booking_code") or ""))
        if code:
            return {"booking_code": code}
        if data.latest_intent(tracker) in ESCAPE_INTENTS - {"cancel_appointment"}:
            return {}
        if tracker.get_slot("requested_slot") == "booking_code" and text.strip():
            dispatcher.utter_message(response="utter_booking_code_invalid")
            return {"booking_code": None}
        return {}


class AskBookingCode(Action):
    def name(self) -> Text:
        return "action_ask_booking_code"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        dispatcher.utter_message(response="utter_ask_booking_code")
        return data.ask_topic(tracker, "cancel_appointment")


class ActionCancelAppointment(Action):
    def name(self) -> Text:
        return "action_cancel_appointment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        lang = data.language(tracker)
        events: List[Dict] = [SlotSet("booking_code", None), SlotSet("topic", "cancel_appointment")]
        if form_left(tracker):
            return events + [SlotSet("form_left", None)]
        code = tracker.get_slot("booking_code") or ""
        who = pseudonym(tracker.sender_id, data.settings().id_salt)  # what the booking was made under
        try:
            outcome = booking_guard.cancel_by_code(data.sessions(), code, who=who)
        except Exception as err:
            log_event("appointment.error", error=type(err).__name__)
            dispatcher.utter_message(response="utter_data_unavailable")
            return events
        if outcome.result == "locked":
            dispatcher.utter_message(text=replies.booking_code_locked(lang).text)
            return events
        cancelled = outcome.booking
        if cancelled is None:
            dispatcher.utter_message(response="utter_appointment_cancel_not_found")
            return events
        dispatcher.utter_message(
            response="utter_appointment_cancelled", code=cancelled.code,
            day=day_label(cancelled.starts_at.date(), lang), time=time_label(cancelled.starts_at),
            matter=matter_name(cancelled.matter_id, lang))
        return events
