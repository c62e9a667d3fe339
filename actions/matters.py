"""The service hall's places and hours, and satisfaction ratings.

Matters, life events and every follow-up about them are answered by ``action_guide``
(``actions/guide.py``), which reads the conversation's context.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import data_access as data
from actions.guide import ActionGuide
from knowledge import cues, replies
from knowledge.catalogue import get_catalogue
from knowledge.dialogue import parse_rating
from knowledge.guide import Subject


def _send(dispatcher: CollectingDispatcher, message: replies.Message) -> None:
    dispatcher.utter_message(text=message.text, buttons=message.buttons or [])


class ActionServiceHall(Action):
    def name(self) -> Text:
        return "action_service_hall"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        subject = Subject.parse(tracker.get_slot("subject"))
        text = data.own_words(tracker)
        about_a_matter = subject is not None and subject.kind in ("matter", "event", "case")
        if text and ((about_a_matter and (cues.says(text, "window") or not cues.says(text, "the_hall"))) or
                     (not cues.says(text, "the_hall") and cues.aspect(text) not in ("hours", "where")) or
                     cues.says(text, "complaint")):
            # "which window in the hall?" or "周六开门不" after the pension check ask about that
            # matter; "你们几点下班" asks about the hall; words with nothing of the hall in them
            # ("a man called saying I must move my savings") and complaints about the hall's staff
            # are the guide's to read
            return ActionGuide().run(dispatcher, tracker, domain)
        lang = data.language(tracker)
        message = replies.service_hall(get_catalogue(), lang, elderly=tracker.get_slot("mode") == "elderly")
        _send(dispatcher, message)
        # the hall becomes the subject: "what's the address?", "saturday?" are about it
        return [SlotSet("topic", "service_hall_info"), SlotSet("subject", "hall:main")]


class ActionFeedback(Action):
    """Store a 1-5 satisfaction rating in the ``rating`` slot, or ask for one."""

    def name(self) -> Text:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        lang = data.language(tracker)
        text = data.own_words(tracker)
        rating = parse_rating(text, data.entity(tracker, "rating"))
        if rating is None and text and not text.startswith("/") and not cues.says(text, "rate"):
            # "得带些什么" is a question and "hospital give me the paper already" news, not a rating
            return ActionGuide().run(dispatcher, tracker, domain)
        if rating is None:
            dispatcher.utter_message(response="utter_ask_rating")
            return [SlotSet("topic", "feedback")]
        if tracker.get_slot("rating") is not None or not _answered_before(tracker):
            # one rating per conversation, and only after we helped with something: a script
            # posting "/feedback{...}" over and over cannot move the satisfaction figures
            dispatcher.utter_message(
                text="Thank you, your feedback is noted." if lang == "en" else "谢谢，您的意见我们记下了。")
            return [SlotSet("topic", "feedback")]
        dispatcher.utter_message(
            text=f"Thank you for rating us {rating} out of 5. It helps us improve." if lang == "en"
            else f"感谢您的评价（{rating}分），我们会继续改进。")
        return [SlotSet("rating", float(rating)), SlotSet("topic", "feedback")]


def _answered_before(tracker: Tracker) -> bool:
    """Whether an earlier turn of this conversation got an answer from the guide or a form."""
    helped = {"action_guide", "action_check_case", "action_book_appointment", "action_cancel_appointment",
              "action_service_hall", "action_handoff"}
    return any(e.get("event") == "action" and e.get("name") in helped for e in tracker.events)
