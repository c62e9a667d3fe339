"""Leaving and coming back: what a form does with a message that is not the answer it asked for.

Inside the case check, a booking or a cancellation people ask questions ("要带什么?"), change their
mind ("算了", "forget it") or cannot give the answer ("单子找不到了"). A good guide answers the
question and asks again, lets them go at once, or offers another way, instead of repeating the
same prompt. Each form's validation action mixes this in and says which messages would fill
its requested slot (``fills``); everything else is read here before Rasa's own validation.

Leaving deactivates the form from inside its validation (``ActiveLoop(None)``); the form's
closing rule still runs its final action, which sees ``form_left`` and stays silent.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import data_access as data
from actions.guide import STAFF, context, message, rank_answers, render
from knowledge import cues, guide
from knowledge.catalogue import get_catalogue
from knowledge.guide import Subject
from knowledge.search import get_index
from knowledge.semantic import get_matcher

LEFT = {"zh": "好的，先不办了。还有什么可以帮您？", "en": "All right, I've stopped that. What else can I help you with?"}
LOST_RECEIPT = {
    "zh": "没关系。办件编号也在受理时收到的短信里；找不到的话，带上身份证到受理窗口或拨打12345，工作人员可以帮您查。"
          "要我为您转人工吗？",
    "en": "No problem. The case number is also in the text message you got when you applied; otherwise bring your "
          "ID card to the window where you applied, or call 12345, and staff can look it up. Shall I put you "
          "through to staff?",
}
LOST_CODE = {
    "zh": "没关系。预约码在预约成功时收到的短信或微信通知里；找不到的话，可以打12345，或带身份证到大厅服务台，工作人员帮您取消。"
          "要我为您转人工吗？",
    "en": "No problem. The booking code is in the text message or WeChat notice you got when you booked; otherwise "
          "call 12345, or bring your ID card to the hall's front desk and staff can cancel it. Shall I put you "
          "through to staff?",
}


def form_left(tracker: Tracker) -> bool:
    """Whether the form just ended because the person left it (its final action says nothing)."""
    return tracker.get_slot("form_left") is True


def _names_a_matter(text: str, lang: str) -> bool:
    """"I lost my social security card" inside the cancel form is a new question, not a wrong code."""
    hits = get_index().search(text, lang, limit=1)
    return bool(hits) and hits[0].score >= guide.STRONG_HIT


class InterruptibleForm:
    """Mixed into a ``FormValidationAction``; ``form_slots`` are cleared when the person leaves."""

    form_slots: tuple = ()
    #: what to say when the person cannot give what the form asks for (a lost receipt or code)
    lost_help: Optional[Dict[str, str]] = None
    #: the form is about a visit to the hall: "你们几点下班" inside it asks the hall's hours
    at_the_hall: bool = False

    def fills(self, text: str, requested: str, tracker: Tracker) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def subject(self, tracker: Tracker) -> Optional[Subject]:
        """What a question inside the form is most likely about."""
        return None

    def leave(self, dispatcher: CollectingDispatcher, lang: str, text: Dict[str, str],
              buttons: Optional[list] = None) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=text[lang], buttons=buttons or [])
        return [SlotSet(name, None) for name in self.form_slots] + [
            SlotSet("form_left", True), ActiveLoop(None)]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        text = data.own_words(tracker).strip()
        requested = tracker.get_slot("requested_slot")
        if text and requested and not self.fills(text, requested, tracker):
            lang = data.language(tracker)
            if cues.says(text, "leave"):
                return self.leave(dispatcher, lang, LEFT)
            if self.lost_help and cues.says(text, "lost_receipt"):
                return self.leave(dispatcher, lang, self.lost_help, [STAFF[lang]])
            if cues.is_question(text) or cues.aspect(text) or _names_a_matter(text, lang):
                return self.answer(dispatcher, tracker, requested)
        return await super().run(dispatcher, tracker, domain)  # type: ignore[misc]

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, requested: str) -> List[Dict[Text, Any]]:
        """Answer the question, then let the form ask for ``requested`` again."""
        ctx = context(tracker)
        own = self.subject(tracker)
        if own is not None and (ctx.subject is None or ctx.subject.kind == "case"):
            ctx = guide.Context(**{**ctx.__dict__, "subject": own})
        catalogue = get_catalogue()
        decision = guide.decide(message(tracker), ctx, get_index(), catalogue, get_matcher().best,
                                rank_answers=rank_answers)
        if decision.move in ("clarify", "small_talk", "out_of_scope", "next_step", "repeat"):
            return [SlotSet(requested, None)]  # not a question we can answer: just ask again
        text = data.own_words(tracker)
        hall = self.at_the_hall and decision.aspect == "hours" and cues.says(text, "the_hall") and \
            not cues.says(text, "window")
        if hall:
            decision = guide.Decision("hall", Subject("hall", "main"), "hours")
        reply = render(decision, ctx, catalogue, tracker.current_slot_values())
        for m in reply.messages:
            dispatcher.utter_message(text=m.text, buttons=[])
        if hall:  # the matter being booked stays the subject of the next question
            reply.slots.pop("subject", None)
        return [SlotSet(requested, None)] + [SlotSet(k, v) for k, v in reply.slots.items()]
