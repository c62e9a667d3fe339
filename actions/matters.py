"""Guidance through service matters and life events, answers from the catalogue's Q&A, the
service hall, clarification when unsure, and satisfaction ratings.

Thin adapters: every fact and every sentence comes from ``knowledge/`` (catalogue, replies,
search, dialogue); these classes only read the tracker, pick what to say and set slots. Each one
sets the ``topic`` slot, so the chat API reports what the turn was about even for aspect intents
("what documents do I need?") that do not name a matter themselves.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.core.topics import LIFE_EVENTS, MATTERS
from knowledge import replies
from knowledge.catalogue import get_catalogue
from knowledge.dialogue import clarify, detect_aspect, parse_rating
from knowledge.life_events import checklist_text, combined_checklist
from knowledge.search import get_index

#: a question strong enough to answer instead of the overview when someone names a matter
STRONG_QA = 0.9


def _lang(tracker: Tracker) -> str:
    return "en" if tracker.get_slot("language") == "en" else "zh"


def _elderly(tracker: Tracker) -> bool:
    return tracker.get_slot("mode") == "elderly"


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == name and entity.get("value") is not None:
            return str(entity["value"])
    return None


def _send(dispatcher: CollectingDispatcher, message: replies.Message) -> None:
    dispatcher.utter_message(text=message.text, buttons=message.buttons or [])


def _current_matter(tracker: Tracker) -> Optional[str]:
    for candidate in (_entity(tracker, "matter"), tracker.get_slot("matter")):
        if candidate in MATTERS:
            return candidate
    return None


class ActionMatter(Action):
    """A matter was named: the overview (or the aspect/question the message asked about)."""

    def name(self) -> Text:
        return "action_matter"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        catalogue = get_catalogue()
        matter = catalogue.matter(intent)
        lang, text = _lang(tracker), tracker.latest_message.get("text") or ""
        events = [SlotSet("topic", matter.id), SlotSet("matter", matter.id), SlotSet("misses", 0)]
        answer = get_index().best_answer(text, matter.id) if not text.startswith("/") else None
        aspect = detect_aspect(text) if not text.startswith("/") else None
        if _elderly(tracker):
            if aspect:
                _send(dispatcher, replies.elderly_aspect(matter, catalogue, aspect, lang))
                return events + [SlotSet("step", 1 if aspect == "materials" else 0)]
            if answer and answer.matter == matter.id and answer.score >= STRONG_QA:
                _send(dispatcher, replies.Message(answer.qa.a(lang), replies.elderly_buttons(lang)))
                return events + [SlotSet("step", 0)]
            _send(dispatcher, replies.elderly_step(matter, lang, 0))
            return events + [SlotSet("step", 1)]
        if answer and answer.matter == matter.id and answer.score >= STRONG_QA:
            _send(dispatcher, replies.Message(answer.qa.a(lang), replies.aspect_buttons(matter, lang)))
        elif aspect:
            _send(dispatcher, replies.aspect_message(matter, catalogue, aspect, lang))
            events.append(SlotSet("aspect", aspect))
        else:
            _send(dispatcher, replies.overview(matter, lang))
        return events + [SlotSet("step", 0)]


class ActionMatterAspect(Action):
    """Materials / fees and time / where and when / related, or the next elderly step."""

    def name(self) -> Text:
        return "action_matter_aspect"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        lang = _lang(tracker)
        matter_id = _current_matter(tracker)
        if matter_id is None:
            dispatcher.utter_message(
                text="Which service is this about? For example: ID card, passport, social insurance."
                if lang == "en" else "请问是办哪件事？比如：身份证、护照、社保。")
            return []
        catalogue = get_catalogue()
        matter = catalogue.matter(matter_id)
        events: List[Dict[Text, Any]] = [SlotSet("topic", matter_id), SlotSet("matter", matter_id)]
        if intent == "next_step":
            step = int(tracker.get_slot("step") or 0)
            if _elderly(tracker):
                _send(dispatcher, replies.elderly_step(matter, lang, step))
                return events + [SlotSet("step", step + 1)]
            # standard mode: "what's next" after the overview means the documents
            _send(dispatcher, replies.materials(matter, lang))
            return events + [SlotSet("aspect", "materials")]
        aspect = intent[len("ask_"):] if intent.startswith("ask_") else "materials"
        if _elderly(tracker):
            _send(dispatcher, replies.elderly_aspect(matter, catalogue, aspect, lang))
            return events + [SlotSet("aspect", aspect), SlotSet("step", 2 if aspect == "materials" else 0)]
        _send(dispatcher, replies.aspect_message(matter, catalogue, aspect, lang))
        return events + [SlotSet("aspect", aspect)]


class ActionAnswerQuestion(Action):
    """A question ("can my daughter apply for me?") answered from the catalogue's Q&A."""

    def name(self) -> Text:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        lang, text = _lang(tracker), tracker.latest_message.get("text") or ""
        matter_id = _current_matter(tracker)
        index = get_index()
        answer = index.best_answer(text, matter_id)
        buttons = replies.elderly_buttons(lang, with_next=False) if _elderly(tracker) else []
        if answer is not None:
            matter = get_catalogue().matter(answer.matter)
            if not buttons:
                buttons = replies.aspect_buttons(matter, lang)
            prefix = f"{matter.name(lang)}: " if lang == "en" else f"{matter.name(lang)}："
            dispatcher.utter_message(text=prefix + answer.qa.a(lang), buttons=buttons)
            return [SlotSet("topic", answer.matter), SlotSet("matter", answer.matter)]
        hits = [h for h in index.search(text, lang, limit=2)]
        if hits:
            dispatcher.utter_message(
                text="Which of these is your question about?" if lang == "en" else "请问您问的是哪件事？",
                buttons=[{"title": h.name, "payload": f"/{h.id}"} for h in hits])
            return [SlotSet("topic", hits[0].id)]
        dispatcher.utter_message(
            text="Which service is your question about? For example: ID card, pension, medical insurance."
            if lang == "en" else "请问您问的是哪件事？比如：身份证、养老金、医保。", buttons=buttons)
        return [SlotSet("topic", matter_id)] if matter_id else []


class ActionLifeEvent(Action):
    """One combined checklist for a life event: steps in order, each document once."""

    def name(self) -> Text:
        return "action_life_event"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        lang = _lang(tracker)
        catalogue = get_catalogue()
        event = catalogue.event(intent)
        checklist = combined_checklist(catalogue, event, lang)
        buttons = [{"title": s.title, "payload": f"/{s.matter}"} for s in checklist.steps]
        if _elderly(tracker):
            first = checklist.steps[0]
            text = (f"{event.name.en}: first, {first.title}. {first.note}" if lang == "en"
                    else f"{event.name.zh}：第一件事是{first.title}。{first.note}")
            dispatcher.utter_message(text=text, buttons=buttons[:3] + replies.elderly_buttons(lang, False)[1:])
        else:
            dispatcher.utter_message(text=checklist_text(checklist, catalogue), buttons=buttons,
                                     json_message={"checklist": checklist.as_dict()})
        return [SlotSet("topic", event.id), SlotSet("misses", 0)]


class ActionServiceHall(Action):
    def name(self) -> Text:
        return "action_service_hall"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        lang = _lang(tracker)
        _send(dispatcher, replies.service_hall(get_catalogue(), lang, elderly=_elderly(tracker)))
        return [SlotSet("topic", "service_hall_info")]


class ActionFeedback(Action):
    """Store a 1-5 satisfaction rating in the ``rating`` slot, or ask for one."""

    def name(self) -> Text:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        lang = _lang(tracker)
        text = tracker.latest_message.get("text") or ""
        rating = parse_rating(text if not text.startswith("/") else "", _entity(tracker, "rating"))
        if rating is None:
            dispatcher.utter_message(response="utter_ask_rating")
            return [SlotSet("topic", "feedback")]
        dispatcher.utter_message(
            text=f"Thank you for rating us {rating} out of 5. It helps us improve." if lang == "en"
            else f"感谢您的评价（{rating}分），我们会继续改进。")
        return [SlotSet("rating", float(rating)), SlotSet("topic", "feedback")]


class ActionClarify(Action):
    """Low confidence: ask back with the two likeliest matters; after two misses offer staff."""

    def name(self) -> Text:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        lang = _lang(tracker)
        text = tracker.latest_message.get("text") or ""
        ranking = tracker.latest_message.get("intent_ranking") or []
        matter_id = _current_matter(tracker)
        answer = get_index().best_answer(text, matter_id) if matter_id else None
        if answer is not None and answer.matter == matter_id and answer.score >= STRONG_QA:
            # an unclear message in the middle of a matter is usually a question about it
            matter = get_catalogue().matter(matter_id)
            buttons = (replies.elderly_buttons(lang, with_next=False) if _elderly(tracker)
                       else replies.aspect_buttons(matter, lang))
            dispatcher.utter_message(text=answer.qa.a(lang), buttons=buttons)
            return [SlotSet("topic", matter_id), SlotSet("misses", 0)]
        decision = clarify(text, ranking, get_index())
        misses = int(tracker.get_slot("misses") or 0) + 1
        catalogue = get_catalogue()
        buttons = []
        for item in decision.candidates:
            name = catalogue.matters[item].name(lang) if item in MATTERS else (
                catalogue.events[item].name(lang) if item in LIFE_EVENTS else item)
            buttons.append({"title": name, "payload": f"/{item}"})
        staff = {"title": "Talk to staff" if lang == "en" else "转人工服务", "payload": "/human_handoff"}
        if decision.out_of_scope and not buttons:
            dispatcher.utter_message(response="utter_out_of_scope")
        elif lang == "en":
            dispatcher.utter_message(text="Sorry, I'm not sure I understood. Did you mean one of these?",
                                     buttons=buttons)
        else:
            dispatcher.utter_message(text="抱歉，我不太确定您的意思。您是想办下面哪一件？", buttons=buttons)
        if misses >= 2:
            dispatcher.utter_message(
                text="I still haven't got it, sorry. Would you like to talk to a member of staff?"
                if lang == "en" else "还是没能帮上您，要不要转人工，请工作人员帮您？",
                buttons=[staff])
            misses = 0
        return [SlotSet("topic", decision.best_topic), SlotSet("misses", misses)]
