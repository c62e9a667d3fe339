"""``action_guide``: every turn about service matters, life events and their follow-ups.

A thin adapter: it reads the tracker into a :class:`knowledge.guide.Context`, lets
``knowledge.guide.decide`` read the message in that light, says what ``knowledge.answers`` and
``knowledge.replies`` build from the catalogue, and stores the thread (subject, aspect, for whom,
the last real answer) in slots for the next turn.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import data_access as data
from actions.parsing import find_booking_code, find_case_number
from assistant.logs import log_event
from knowledge import answers, case_notes, cues, guide, replies
from knowledge.catalogue import Catalogue, get_catalogue
from knowledge.dialogue import clarify
from knowledge.guide import Context, Decision, Subject
from knowledge.search import get_index
from knowledge.semantic import Candidate, get_matcher, get_ranker

if TYPE_CHECKING:
    from knowledge.resolve import Ranked

STAFF = {"zh": {"title": "转人工服务", "payload": "/human_handoff"},
         "en": {"title": "Talk to staff", "payload": "/human_handoff"}}
NOT_OURS = {
    "scam": ("这很可能是诈骗：政府部门不会打电话让您转账、买理财或把钱转到“安全账户”。请不要转账，挂掉电话；已经转了钱请马上打110报警，"
             "拿不准可以打12345市民热线或96110反诈专线问。",
             "This is very likely a scam: no government office calls to ask you to move money, buy investments or "
             "use a 'safe account'. Do not transfer anything and hang up; if you already paid, call the police on "
             "110 at once. When unsure, call the 12345 hotline or the 96110 anti-fraud line."),
    "travel": ("火车票、机票不在政务服务里办：火车票请用铁路12306（APP或电话12306），机票请找航空公司或购票平台。",
               "Train and plane tickets are not handled here: book trains with China Railway 12306 (app or phone "
               "12306), flights with the airline or a ticket platform."),
    "hospital": ("看病挂号不归政务大厅管，请用医院自己的预约渠道（医院公众号、APP或电话），也可以拨打12345问医院的电话。"
                 "如果是医保报销，我可以帮您讲。",
                 "Hospital appointments are not handled here: please book through the hospital itself (its app, "
                 "WeChat account or phone line), or call the 12345 hotline for its number. I can help with medical "
                 "insurance reimbursement."),
    "hospital_complaint": ("对医院的投诉不在这里受理，请向医院的医务科反映，或拨打12345市民热线、卫健委投诉电话。",
                           "Complaints about a hospital are not handled here: contact the hospital's patient "
                           "services office, or call the 12345 citizens' hotline."),
    "delivery": ("这里是政务服务，不提供外卖、快递或跑腿服务；快递请问快递公司。办好的证件多数可以选邮寄到家，这个我可以帮您讲。",
                 "This is a government service, so I can't order food, track parcels or send a courier; ask the "
                 "courier company. Most finished documents can be posted to your home: I can tell you how."),
    "tax_avoidance": ("这个我不能帮忙：逃税、避税的做法违法。合法的个税专项附加扣除和年度汇算退税，我可以给您讲。",
                      "I can't help with that: avoiding tax that is due is against the law. I can explain the legal "
                      "deductions and the annual tax refund."),
    "stocks": ("这里是政务服务，不提供股票、理财建议。有政务上的事我可以帮您。",
               "This is a government service: I can't give stock or investment tips. I can help with government "
               "matters."),
    "legal": ("纠纷、索赔、打官司这类法律问题不在这里办：可以拨打12348公共法律服务热线，或咨询律师。",
              "Disputes, compensation and lawsuits are legal questions, not handled here: call the 12348 public "
              "legal services hotline or ask a lawyer."),
    "other": ("这个不在政务服务范围内，我帮不上忙。身份证、户口、社保、医保这些事，查进度、预约，随时问我；其他问题可以打12345市民热线。",
              "That is not a government service, so I can't help with it here. I can help with the ID card, hukou, "
              "social insurance and other services, case status and appointments; for anything else call the "
              "12345 citizens' hotline."),
}
#: the matter of ours a not-ours answer offers ("I can help with medical insurance
#: reimbursement"): it becomes the subject, so "在哪报?" next is about it
NOT_OURS_OFFERS = {"hospital": "medical_insurance", "tax_avoidance": "individual_tax"}
CONDOLENCE = ("请节哀。家人去世后要办的几件事，我按顺序帮您理一理，不着急，一件一件来。",
              "I'm very sorry for your loss. Here are the things to take care of, in order; there's no rush, one at "
              "a time.")
CONDOLENCE_STEP = ("请节哀。不着急，我们一件一件来，其他要办的事随时问我。",
                   "I'm very sorry for your loss. There's no rush; ask me about the other things to take care of "
                   "whenever you are ready.")
COMPLAINT = ("非常抱歉给您带来不好的体验。您的意见已经记录，会转给大厅服务监督部门处理；需要的话我可以为您转人工。",
             "I'm sorry about that experience. Your feedback has been recorded and goes to the service supervision "
             "team; I can also put you through to staff.")
STATUS_TEXT = {
    "under_review": ("正在审核", "under review"), "received": ("已受理", "received"),
    "needs_more_documents": ("需要补交材料", "waiting for more documents"),
    "approved": ("已经办结", "approved"), "ready_for_pickup": ("已经可以领取", "ready to collect"),
    "rejected": ("未通过", "not approved"),
}


#: what a case follow-up asks about its matter in general rather than about the case itself
MATTER_FACTS = ("online", "proxy", "deadline", "eligibility", "process", "fee", "frequency")


def context(tracker: Tracker) -> Context:
    return Context(lang=data.language(tracker), elderly=tracker.get_slot("mode") == "elderly",
                   subject=Subject.parse(tracker.get_slot("subject")), aspect=tracker.get_slot("aspect"),
                   who=tracker.get_slot("who"), case_matter=tracker.get_slot("case_matter"),
                   misses=int(tracker.get_slot("misses") or 0), topic=tracker.get_slot("topic"),
                   previous=previous_message(tracker.events))


def previous_message(events: List[Dict[str, Any]]) -> Optional[str]:
    """What the person said before the message being answered."""
    said = [e.get("text") or "" for e in events if e.get("event") == "user" and not (e.get("text") or "").startswith("/")]
    return said[-2] if len(said) >= 2 else None


def message(tracker: Tracker) -> guide.Message:
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    return guide.Message(text=(latest.get("text") or "").strip(), intent=intent.get("name"),
                         confidence=float(intent.get("confidence") or 0.0),
                         ranking=latest.get("intent_ranking") or [], entity_matter=data.entity(tracker, "matter"))


class Reply:
    """What one turn says and remembers."""

    def __init__(self) -> None:
        self.messages: List[replies.Message] = []
        self.slots: Dict[str, Any] = {}
        self.responses: List[str] = []
        self.followup: Optional[str] = None  # a form to start after this action

    def say(self, text: str, buttons: Optional[List[dict]] = None) -> None:
        self.messages.append(replies.Message(text, buttons or []))


def _t(lang: str, pair) -> str:
    return pair[1] if lang == "en" else pair[0]


def render(decision: Decision, ctx: Context, catalogue: Catalogue, tracker_slots: Dict[str, Any]) -> Reply:
    """The messages and slots for a decision (the action only sends them)."""
    out, lang, elderly = Reply(), ctx.lang, ctx.elderly
    subject, move = decision.subject, decision.move
    topic = guide.subject_topic(subject)
    if move in ("answer", "overview", "qa", "case", "simplify", "switch") and subject is not None:
        if move == "switch":
            lang = decision.detail or lang
            out.slots["language"] = lang
        if move == "simplify":
            if elderly and subject.kind == "matter":  # already short: one step at a time
                matter = catalogue.matter(subject.id)
                first = replies.elderly_steps(matter, lang)[0]
                out.say(first + _t(lang, (" 要带的东西，点“下一步”我一样一样说。", " Tap Next and I will tell you each thing to bring.")),
                        replies.elderly_buttons(lang))
                out.slots.update(step=1, topic=topic, subject=subject.key)
                return out
            if elderly and decision.focus:  # the step of the life event, in one sentence
                out.say(replies.elderly_steps(catalogue.matter(decision.focus), lang)[0],
                        replies.elderly_buttons(lang, False))
                out.slots.update(topic=decision.focus, subject=subject.key)
                return out
            elderly = True
        about = Subject("matter", decision.focus) if decision.focus else subject
        _subject_answer(out, decision, about, lang, elderly, catalogue, tracker_slots)
        if decision.also and about.kind == "matter" and move in ("answer", "qa"):
            first = out.messages[-1] if out.messages else None
            out.messages.append(answers.matter_answer(catalogue.matter(about.id), catalogue, decision.also, lang,
                                                      elderly=elderly))
            if first is not None:
                first.buttons = []  # one row of buttons, under the last answer
        if decision.focus:
            topic = decision.focus  # a step of the life event; the event stays the subject
        elif subject.kind == "case" and ctx.case_matter and (move == "qa" or decision.aspect in MATTER_FACTS):
            topic = ctx.case_matter  # a fact of the case's matter, not of the case itself
        out.slots.update(subject=subject.key, topic=topic, misses=0,
                         who=decision.who, aspect=decision.aspect if move != "simplify" else ctx.aspect)
        if subject.kind == "matter":
            out.slots["matter"] = subject.id
        return out
    if move == "form":
        form = decision.detail or ""
        matter_id = subject.id if subject is not None and subject.kind == "matter" else None
        if form == "appointment_form" and matter_id:
            matter = catalogue.matter(matter_id)
            if not matter.bookable_here and matter.booking is not None:
                out.say(answers.booking_elsewhere(matter, lang), [STAFF[lang]])
                out.slots.update(topic=matter_id, subject=subject.key if subject else None)  # a fact of the matter
                return out
            out.slots["appointment_matter"] = matter_id
        out.followup = form
        return out
    if move == "hall":
        out.messages.append(replies.service_hall(catalogue, lang, elderly=True))
        out.slots.update(topic="service_hall_info", subject="hall:main")
        return out
    if move == "bereavement":
        if decision.focus in catalogue.matters:  # "how do we cancel my late father's hukou": that step first
            step = Subject("matter", decision.focus)  # type: ignore[arg-type]
            out.say(_t(lang, CONDOLENCE_STEP), [STAFF[lang]])
            move = "qa" if decision.qa else "answer" if decision.aspect else "overview"
            _subject_answer(out, replace(decision, move=move, subject=step), step, lang, elderly, catalogue,
                            tracker_slots)
            out.slots.update(subject=subject.key if subject else None, topic=decision.focus, misses=0,
                             aspect=decision.aspect, who=decision.who)
            return out
        out.say(_t(lang, CONDOLENCE), [STAFF[lang]])
        if "bereavement" in catalogue.events:
            event = Subject("event", "bereavement")
            _subject_answer(out, Decision("overview", event), event, lang, elderly, catalogue, {})
        out.slots.update(subject=subject.key if subject else None, topic="bereavement", misses=0, aspect=None,
                         who=decision.who)
        return out
    if move == "repeat":  # ActionGuide repeats the previous answer itself; here there is none
        out.responses.append("utter_nothing_to_repeat")
        out.slots["topic"] = "repeat"
        return out
    if move == "not_ours":
        out.say(_t(lang, NOT_OURS.get(decision.detail or "other", NOT_OURS["other"])))
        out.slots.update(topic="out_of_scope")
        offered = NOT_OURS_OFFERS.get(decision.detail or "")
        if offered in catalogue.matters:
            out.slots.update(subject=Subject("matter", offered).key, aspect=None, who=None)
        return out
    if move == "complaint":
        out.say(_t(lang, COMPLAINT), [STAFF[lang]])
        out.slots.update(topic="feedback")
        return out
    if move == "small_talk":
        intent = decision.detail or "greet"
        out.responses.append({"greet": "utter_greet", "goodbye": "utter_goodbye", "affirm": "utter_affirm_ack",
                              "deny": "utter_deny_ack"}[intent])
        if intent == "goodbye":
            out.responses.append("utter_ask_rating")
        out.slots["topic"] = intent if intent in ("greet", "goodbye") else (topic or intent)
        return out
    if move == "next_step":
        if subject is not None and subject.kind == "matter":
            matter = catalogue.matter(subject.id)
            step = int(tracker_slots.get("step") or 0)
            if elderly:
                out.messages.append(replies.elderly_step(matter, lang, step))
                out.slots.update(step=step + 1)
            else:
                out.messages.append(replies.materials(matter, lang))
                out.slots.update(aspect="materials")
            out.slots.update(topic=subject.id, subject=subject.key)
            return out
        if subject is not None and subject.kind in ("event", "case", "imported"):
            return render(Decision("answer", subject, "process", who=decision.who), ctx, catalogue, tracker_slots)
        if subject is not None and subject.kind == "hall":  # "next" after the hall's hours: the hall again
            return render(Decision("hall", subject), ctx, catalogue, tracker_slots)
    if move == "out_of_scope":
        out.responses.append("utter_out_of_scope")
        out.slots.update(topic="out_of_scope", unanswered=True)
        return out
    # clarify: ask back with the likeliest choices; offer staff after two misses (one when elderly)
    candidates = decision.candidates
    misses = ctx.misses + 1
    buttons = [{"title": _name(catalogue, c, lang), "payload": f"/{c}"} for c in candidates]
    if decision.detail in WHICH_ONE:  # a card named without saying which: a question, not a miss
        out.say(WHICH_ONE[decision.detail][lang == "en"], buttons)
        out.slots.update(misses=1, topic=candidates[0], unanswered=False)
        return out
    if candidates:
        out.say("Sorry, I'm not sure I understood. Did you mean one of these?" if lang == "en"
                else "抱歉，我不太确定您的意思。您是想办下面哪一件？", buttons)
    else:
        out.say("Sorry, I didn't quite get that. Which service is this about? For example: ID card, passport, "
                "pension." if lang == "en" else "抱歉，我没太听明白。请问是办哪件事？比如：身份证、护照、养老金。")
    if misses >= (1 if elderly else 2):
        out.say("Would you like to talk to a member of staff?" if lang == "en" else "要不要请工作人员帮您？",
                [STAFF[lang]])
        misses = 0
    out.slots.update(misses=misses, topic=candidates[0] if candidates else "out_of_scope", unanswered=True)
    return out


#: asking which thing of a kind is meant ("卡丢了"), by kind: (Chinese, English)
WHICH_ONE = {"card": ("您说的是哪种卡？", "Which card do you mean?"),
             "certificate": ("您说的是哪个证？", "Which certificate or licence do you mean?")}


def _name(catalogue: Catalogue, ident: str, lang: str) -> str:
    if ident in catalogue.matters:
        return catalogue.matters[ident].name(lang)
    if ident in catalogue.events:
        return catalogue.events[ident].name(lang)
    return ident


#: a window named by its code ("A10-A14", "B9"): a variant's note that names one says where to go
WINDOW_CODE = re.compile(r"(?<![A-Za-z])[A-Z]\d{1,2}(?!\d)")


def _subject_answer(out: Reply, decision: Decision, subject: Subject, lang: str, elderly: bool,
                    catalogue: Catalogue, slots: Dict[str, Any]) -> None:
    aspect = decision.aspect
    # what differs for a child, a senior or an agent is said when the person says who it is for, and
    # again with the documents; not before every later answer. A foreign national's is another
    # office altogether ("which window" is A10, not A9), so it goes with every answer
    who = decision.who if (decision.who_said or decision.move == "overview" or decision.who == "foreigner" or
                           aspect in ("materials", "missing") or (aspect == "proxy" and decision.who == "minor")) else None
    decision = replace(decision, who=who)
    if decision.move == "qa" and decision.qa:
        matter_id, question = decision.qa
        matter = catalogue.matter(matter_id)
        qa = catalogue.step_note(question) if "/" in question else next(q for q in matter.faq if q.q.zh == question)
        note = answers.who_note(matter, decision.who, lang)
        # "和外国人结婚在哪登记" says the foreigner's note itself, "可以代办吗" what an agent needs
        if note and cues.who(qa.q.zh) != decision.who and not _agent_told(decision.who, cues.aspect(qa.q.zh)):
            out.say(note)
        if decision.with_overview:  # the question first, then what the matter needs
            out.say(qa.a(lang))
            _subject_answer(out, replace(decision, move="overview", qa=None, who=None), subject, lang, elderly,
                            catalogue, slots)
            return
        buttons = replies.elderly_buttons(lang, False) if elderly else replies.aspect_buttons(matter, lang)
        out.say(qa.a(lang), buttons)
        return
    if subject.kind == "event":
        event = catalogue.event(subject.id)
        if aspect and decision.move != "overview":
            out.messages.append(answers.event_answer(event, catalogue, _event_aspect(aspect), lang, elderly))
        else:
            out.messages.append(answers.event_overview(event, catalogue, lang, elderly))
            if not elderly:  # what to do first, and when (elderly mode says it in the overview)
                out.say(_t(lang, ("第一件：", "Step 1: ")) + min(event.steps, key=lambda step: step.order).note(lang))
        return
    if subject.kind == "case":
        _case_answer(out, decision, lang, elderly, catalogue, slots)
        return
    if subject.kind == "imported":
        from knowledge.imported_answer import render as render_imported
        from knowledge.resolve import imported_matter

        imported = imported_matter(subject.id)
        if imported is not None:
            out.say(render_imported(imported, lang, IMPORTED_ASPECTS.get(aspect or "") if
                                    decision.move != "overview" else None), [STAFF[lang]])
        return
    matter = catalogue.matter(subject.id)
    if aspect is None or decision.move == "overview" or (aspect == "process" and not elderly):
        if elderly:  # where to go and what to bring first; "next" goes on with the cost and the wait
            out.say(answers.elderly_process(matter, lang), replies.elderly_buttons(lang))
            out.slots["step"] = 1 + len(matter.materials)
        elif out.messages:  # after the answer to an opening question, the essentials alone
            out.messages.append(answers.essentials(matter, lang))
        else:
            out.messages.extend(answers.overview(matter, lang))
        note = answers.who_note(matter, decision.who, lang)
        if note:
            out.messages.insert(0, replies.Message(note))
        return
    if aspect == "fees_time":
        if elderly:
            out.messages.append(replies.elderly_aspect(matter, catalogue, "fees_time", lang))
        else:
            out.messages.append(replies.fees_time(matter, lang))
        return
    if aspect == "status":
        out.messages.append(replies.overview(matter, lang))
        return
    if decision.with_overview:  # the question first, then what the matter needs
        out.say(answers.aspect_text(matter, catalogue, aspect, lang, yes_no=decision.yes_no, elderly=elderly))
        _subject_answer(out, replace(decision, move="overview", with_overview=False), subject, lang, elderly,
                        catalogue, slots)
        return
    note = answers.who_note(matter, decision.who, lang)
    if decision.who == "foreigner" and aspect in ("where", "hours") and note and WINDOW_CODE.search(note):
        out.say(note, replies.elderly_buttons(lang, False) if elderly else replies.aspect_buttons(matter, lang))
        return  # the variant names the foreigner's own windows (A10-A14): the usual ones would mislead
    if note and aspect not in ("materials", "missing") and not _agent_told(decision.who, aspect):
        out.say(note)  # what differs, in a bubble of its own
    out.messages.append(answers.matter_answer(
        matter, catalogue, aspect, lang, yes_no=decision.yes_no, elderly=elderly,
        who=decision.who if aspect in ("materials", "missing") else None))


def second_question(text: str, decision: Decision) -> Optional[str]:
    """The aspect a second question in the message asks ("食品那个证呢 去哪弄 要几天"), when the
    decision answers the first: one answer each, not one for both."""
    asked = cues.asked_aspects(text)
    if not asked or decision.move not in ("answer", "qa"):
        return None
    covered = decision.aspect if decision.move == "answer" else cues.aspect(decision.qa[1]) if decision.qa else None
    done = {"fee", "time"} if covered == "fees_time" else {covered}
    rest = [a for a in asked if a not in done]
    if not done & set(asked):
        rest = rest[1:]  # the answer is to the first question, in other words than its cue
    return rest[0] if rest else None


def _agent_told(who: Optional[str], aspect: Optional[str]) -> bool:
    """The answer about applying through someone else already says what the agent needs."""
    return who == "agent" and aspect == "proxy"


def _event_aspect(aspect: str) -> str:
    return {"fees_time": "fee", "hours": "where", "collect": "where"}.get(aspect, aspect)


def _case_answer(out: Reply, decision: Decision, lang: str, elderly: bool, catalogue: Catalogue,
                 slots: Dict[str, Any]) -> None:
    """A follow-up on the case just shown: from that case and its matter."""
    matter_id, status = slots.get("case_matter"), slots.get("case_state") or ""
    number = (decision.subject.id if decision.subject else "") or ""
    state = STATUS_TEXT.get(status, (status, status))
    aspect = decision.aspect or "status"
    if matter_id not in catalogue.matters:
        out.say(f"Case {number}: {state[1]}." if lang == "en" else f"办件{number}：{state[0]}。")
        return
    matter = catalogue.matter(matter_id)
    days = matter.time.promised_days
    if aspect in ("time", "fees_time", "status"):
        if status == "ready_for_pickup":
            text = _t(lang, ("已经办好了，可以去领取。", "It is ready now: you can collect it."))
        elif status == "approved":
            text = _t(lang, ("已经办结了，结果正在准备，好了会短信通知您。",
                             "It has been approved; the result is being prepared and you'll get a text message "
                             "when it's ready."))
        elif status == "needs_more_documents":
            text = _t(lang, (f"要先补齐材料，补齐后承诺{days}个工作日内办好。",
                             f"First the missing documents are needed; after that it takes up to {days} working days."))
        else:
            text = _t(lang, (f"正在审核，承诺从受理起{days}个工作日内办好，办好后会短信通知您。",
                             f"It is under review; Jiangzhou promises {days} working days from the application, "
                             "and you will get a text message when it is ready."))
        if aspect == "time" or aspect == "status":
            out.say(text, [] if elderly else replies.aspect_buttons(matter, lang))
            return
    if aspect in ("collect", "where", "hours") or (aspect == "materials" and status == "ready_for_pickup"):
        collect = answers.aspect_text(matter, catalogue, "collect", lang, elderly=elderly)
        bring = _t(lang, ("领取时带上身份证和受理回执。", "Bring your ID card and the receipt when you collect it."))
        out.say(collect + " " + (bring if aspect in ("collect", "materials") else answers.where(matter, lang, elderly)))
        if decision.who and matter.proxy is not None:  # someone else collecting: what they bring
            out.say(matter.proxy(lang))
        return
    if aspect in ("materials", "missing"):
        note = slots.get("case_note")
        if status == "needs_more_documents" and note:
            out.say(_t(lang, (f"还缺：{note}", f"Still missing: {case_notes.for_reader(note, lang)}")) + " " +
                    _t(lang, ("补交时带上受理回执和身份证。", "Bring the receipt and your ID card when you hand it in.")))
        elif status == "needs_more_documents":
            out.say(_t(lang, ("还需要补交材料，具体请看回执或问窗口。", "Some documents are still missing; see your receipt or ask the window.")))
        else:
            out.say(_t(lang, ("您的材料是齐的，不用再补。", "Your documents are complete; nothing is missing.")))
        return
    out.messages.append(answers.matter_answer(matter, catalogue, aspect, lang, yes_no=decision.yes_no,
                                              who=decision.who, elderly=elderly))


def previous_answer(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The bot messages of the last turn that answered something: a turn that only asked back
    ("which matter?") or re-asked a form's question is skipped, as a guide would."""
    turns: List[List[Dict[str, Any]]] = [[]]
    skipped: List[bool] = [False]
    for event in events:
        if event.get("event") == "user":
            turns.append([])
            skipped.append(False)
        elif event.get("event") == "bot":
            turns[-1].append(event)
        elif event.get("event") == "slot" and event.get("name") == "unanswered" and event.get("value"):
            skipped[-1] = True
    for bots, skip in zip(reversed(turns[:-1]), reversed(skipped[:-1])):
        if bots and not skip:
            return bots
    return []


def answered_qa(previous: List[Dict[str, Any]], catalogue: Catalogue) -> Optional[Tuple[str, str]]:
    """The catalogue Q&A the previous answer gave, if it was one: (matter id, question in Chinese);
    the first one said, when it gave two (the answer, then what changes for the person)."""
    said = "\n".join(event.get("text") or "" for event in previous)
    if not said:
        return None
    found = []
    for matter in catalogue.matters.values():
        for qa in matter.faq:
            at = [i for i in (said.find(qa.a.zh), said.find(qa.a.en)) if i >= 0]
            if at:
                found.append((min(at), matter.id, qa.q.zh))
    return min(found)[1:] if found else None


#: the resolver's summed cosines for a matter of the imported list to be the subject, with its lead
#: over the next matter: close and clearly ahead, or very close (measured on the demo list:
#: questions about a matter score 1.81-1.91, small talk and other requests 1.75-1.79)
IMPORTED_RULES = ((1.80, 0.03), (1.82, 0.015))
#: the least resolver score at which its first pick of ours is offered as a choice when asking back
OFFER_FLOOR = 1.80
#: the resolver's lead of its first pick over the second for a thing named only by its kind ("the free
#: bus card" at 67: 0.078) to be answered without asking which (measured: "lost my card" 0.045-0.054,
#: "卡丢了" 0.03-0.037)
WHICH_ONE_LEAD = 0.065
#: the guide's aspects as the imported list has them
IMPORTED_ASPECTS = {"materials": "materials", "missing": "materials", "fee": "fee", "fees_time": "fee",
                    "time": "time", "where": "where", "hours": "hours", "online": "online", "collect": "where"}


def resolver_ranking(text: str, lang: str) -> Ranked:
    """The resolver's matters for ``text``, best first; none when there is no list to rank (the
    database is down): the guide then asks back with the model's choices, as before."""
    from knowledge.resolve import resolve

    try:
        return resolve(text, lang)
    except Exception:  # noqa: BLE001
        return []


def imported_subject(text: str, ranked: Ranked, catalogue: Catalogue, ours: Optional[str] = None,
                     unsure: bool = False) -> Optional[Subject]:
    """The imported matter a message is about, when the resolver is clear, its first answer is not
    one of ours, and the matter the guide found (``ours``) is not among its first three. When the
    guide would only ask back (``unsure``), one of ours the resolver is as clear about is a second
    reading by meaning: "我爸今年八十了能领啥补贴不" is the seniors' allowance, not "which one?"."""
    if not ranked:
        return None
    top, score = ranked[0]
    if ours is not None and ours in [ident for ident, _ in ranked[:3]]:
        return None
    clear = any(score >= least and _lead(ranked) >= lead for least, lead in IMPORTED_RULES)
    if not clear:
        return None
    if top in catalogue.matters or top in catalogue.events:
        return Subject("matter" if top in catalogue.matters else "event", top) if unsure else None
    return None if _for_someone_else(top, text) else Subject("imported", top)


def likeliest_of_ours(ranked: Ranked, catalogue: Catalogue) -> Optional[str]:
    """The resolver's first pick, when it is one of our matters or events and close enough to offer
    as a choice ("俺今年八十了 听说公家给老人发钱" was offered the funeral grant, not the seniors' allowance)."""
    if not ranked or ranked[0][1] < OFFER_FLOOR:
        return None
    top = ranked[0][0]
    return top if top in catalogue.matters or top in catalogue.events else None


def _lead(ranked: Ranked) -> float:
    return ranked[0][1] - ranked[1][1] if len(ranked) > 1 else (ranked[0][1] if ranked else 0.0)


def _of_kind(subject: Subject, kind: str, catalogue: Catalogue) -> bool:
    """Whether a matter of ours or of the imported list is a thing of ``kind`` (a card, a certificate)."""
    if subject.kind == "matter":
        name = catalogue.matters[subject.id].name
        return cues.of_kind(kind, name.zh, name.en)
    if subject.kind == "imported":
        from knowledge.resolve import imported_matter

        matter = imported_matter(subject.id)
        return matter is not None and cues.of_kind(kind, matter.name_zh, matter.name_en)
    return False


def _likeliest_of_kind(decision: Decision, ranked: Ranked, catalogue: Catalogue) -> List[str]:
    """Which card to offer: the ones the meaning points at first ("换个新的" of 证: the ID card, the
    driving licence), then the classifier's."""
    kind = decision.detail or ""
    likely = [m for m, _ in ranked if m in decision.candidates or
              (m in catalogue.matters and _of_kind(Subject("matter", m), kind, catalogue))]
    return list(dict.fromkeys(likely + decision.candidates))[:3]


def _for_someone_else(matter_id: str, text: str) -> bool:
    """A matter for foreign nationals is not the answer to a person who did not say they are one
    ("我刚从外地搬过来" is a move from another city, not a foreigner's residence permit)."""
    from knowledge.resolve import imported_matter

    matter = imported_matter(matter_id)
    foreign = matter is not None and any(w in matter.name_zh for w in ("外国", "境外", "外籍"))
    return foreign and cues.who(text) != "foreigner"


def rank_answers(text: str, matters: List[str], lang: str, aspect: Optional[str]) -> List[Candidate]:
    return get_ranker().rank(text, matters, lang, aspect, get_matcher())


_DIGITS = re.compile(r"\d{3,}")


def _about_last_answer(text: str, lang: str, tracker: Tracker) -> Optional[str]:
    """A short follow-up on an answer that had no matter as its subject, which the guide would
    otherwise ask back about: "那咋办" after a booking code was not found gets how to find it or
    staff; "打12345就行是吧" after "call 12345" gets a yes and the answer again."""
    if not guide.short(text):
        return None
    topic = tracker.get_slot("topic")
    if topic == "cancel_appointment":
        from actions.form_turns import LOST_CODE  # the form's own words (it imports this module)

        return LOST_CODE[lang]
    said = "\n".join(e.get("text") or "" for e in previous_answer(tracker.events))
    if topic in ("out_of_scope", "feedback") and said and any(n in said for n in _DIGITS.findall(text)):
        return _t(lang, ("对。", "Yes.")) + " " + said
    return None


def number_given(events: List[Dict[str, Any]], turns: int = 6) -> Optional[str]:
    """The last sentence of ours, in the last few turns, that gave a number to ring: "what number i
    call" after "call 12345 for a home visit" two answers back."""
    bots = [e.get("text") or "" for e in events if e.get("event") == "bot"][-turns * 2:]
    for text in reversed(bots):
        for sentence in reversed(re.split(r"(?<=[。.!！?？；;])\s*|\n", text)):
            if cues.HOTLINE.search(sentence):
                return sentence.strip()
    return None


def _only_a_number(previous: List[Dict[str, Any]]) -> bool:
    return len(previous) == 1 and bool(((previous[0].get("data") or {}).get("custom") or {}).get("number_given"))


class ActionGuide(Action):
    def name(self) -> Text:
        return "action_guide"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        catalogue, index = get_catalogue(), get_index()
        ctx, msg = context(tracker), message(tracker)
        given = number_given(tracker.events) if guide.short(msg.text) and cues.PHONE_ASK.search(
            cues.normalise(msg.text)) else None
        if given:  # the number asked for is the one just given: said again, the subject kept
            dispatcher.utter_message(text=given, json_message={"number_given": True})
            return [SlotSet("topic", tracker.get_slot("topic"))]
        decision = guide.decide(msg, ctx, index, catalogue, get_matcher().best,
                                has_case_number=find_case_number(msg.text) is not None,
                                has_booking_code=find_booking_code(msg.text) is not None,
                                rank_answers=rank_answers)
        new_subject = decision.move in ("overview", "answer", "qa") and decision.subject != ctx.subject
        ranked: Optional[Ranked] = None  # the resolver's, asked once a turn when the guide is unsure
        if (decision.move in ("clarify", "out_of_scope") or new_subject) and not msg.is_payload and \
                not guide.only_asks(msg.text):
            # a matter of the city's imported list, found without training: the resolver is asked
            # whenever the guide would ask back or start a new subject (the model knows only ours),
            # and wins over one of ours only when it does not rank ours near the top itself
            ours = guide.subject_topic(decision.subject) if new_subject else None
            # asking back, or asking which card: the meaning may say which ("the free bus card" at 67)
            unsure = decision.move == "clarify" and (not decision.candidates or decision.detail in WHICH_ONE)
            ranked = resolver_ranking(msg.text, ctx.lang)
            imported = imported_subject(msg.text, ranked, catalogue, ours, unsure)
            if imported is None and unsure and ctx.previous and ctx.subject is None:
                # "一个月给多少" after "which one?": the question asked back completes the first message
                both = f"{ctx.previous} {msg.text}"
                imported = imported_subject(both, resolver_ranking(both, ctx.lang), catalogue, ours, unsure)
            if imported is not None and decision.detail in WHICH_ONE and (
                    not _of_kind(imported, decision.detail, catalogue) or _lead(ranked) < WHICH_ONE_LEAD):
                # "那证到期了要换个新的" asks which certificate, not for a trade-in subsidy; "lost my
                # card" leans to the social security card, but not enough to skip asking
                imported = None
            if imported is not None and imported.kind != "imported":  # read again, as if it had been named
                decision = guide.decide(replace(msg, entity_matter=imported.id), ctx, index, catalogue,
                                        get_matcher().best, rank_answers=rank_answers)
            elif imported is not None:
                decision = Decision("overview", imported)
        if decision.move == "clarify" and decision.detail in WHICH_ONE and ranked:
            decision = replace(decision, candidates=_likeliest_of_kind(decision, ranked, catalogue))
        if decision.move in ("clarify", "out_of_scope") and not msg.is_payload:
            after = _about_last_answer(msg.text, ctx.lang, tracker)
            if after is not None:
                reply = Reply()
                reply.say(after, [STAFF[ctx.lang]])
                reply.slots["topic"] = tracker.get_slot("topic")
                return self._send(dispatcher, reply, decision, tracker)
        if decision.move == "clarify" and not decision.candidates:
            found = clarify(msg.text, msg.ranking, index)
            decision = Decision("out_of_scope") if found.out_of_scope and not found.candidates else \
                Decision("clarify", candidates=found.candidates)
            likely = likeliest_of_ours(ranked if ranked is not None else resolver_ranking(msg.text, ctx.lang),
                                       catalogue) if decision.move == "clarify" else None
            if likely is not None and likely not in decision.candidates:
                # the choices offered include the one the meaning points at, though it is not clear
                decision = replace(decision, candidates=[likely, *decision.candidates][:2])
        if decision.move == "simplify" and _only_a_number(previous_answer(tracker.events)):
            decision = replace(decision, move="repeat")  # one sentence with a number is as simple as it gets
        if decision.move == "repeat":
            previous = previous_answer(tracker.events)
            if previous:  # word for word, whatever it was (a greeting, a case status, a checklist)
                for event in previous:
                    extra = event.get("data") or {}
                    dispatcher.utter_message(text=event.get("text"), buttons=extra.get("buttons") or [],
                                             json_message=extra.get("custom"))
                on_step = ctx.subject is not None and ctx.subject.kind == "event" and ctx.topic
                return [SlotSet("topic", (ctx.topic if on_step else guide.subject_topic(ctx.subject)) or "repeat")]
        if decision.move in ("simplify", "switch"):  # the same answer, shorter or in the other language
            qa = answered_qa(previous_answer(tracker.events), catalogue)
            if qa is not None:
                lang = (decision.detail or ctx.lang) if decision.move == "switch" else ctx.lang
                subject = decision.subject or Subject("matter", qa[0])
                reply = render(Decision("qa", subject, decision.aspect, who=decision.who, qa=qa),
                               replace(ctx, lang=lang), catalogue, tracker.current_slot_values())
                reply.slots["language"] = lang
                return self._send(dispatcher, reply, decision, tracker)
        log_event("guide.decision", logging.DEBUG, move=decision.move,
                  subject=decision.subject.key if decision.subject else None, aspect=decision.aspect,
                  qa=decision.qa[1] if decision.qa else None, focus=decision.focus, who=decision.who, intent=msg.intent,
                  confidence=round(msg.confidence, 2), topic=ctx.topic)  # why a turn went astray
        reply = render(replace(decision, also=second_question(msg.text, decision)), ctx, catalogue,
                       tracker.current_slot_values())
        return self._send(dispatcher, reply, decision, tracker)

    @staticmethod
    def _send(dispatcher: CollectingDispatcher, reply: Reply, decision: Decision,
              tracker: Tracker) -> List[Dict[Text, Any]]:
        for response in reply.responses:
            dispatcher.utter_message(response=response)
        for m in reply.messages:
            dispatcher.utter_message(text=m.text, buttons=m.buttons or [], json_message=m.custom)
        events: List[Dict[Text, Any]] = [SlotSet(name, value) for name, value in reply.slots.items()]
        if decision.move == "small_talk" and decision.detail == "goodbye" and tracker.active_loop.get("name"):
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]  # "谢谢，再见" ends a form too
        return events + ([FollowupAction(reply.followup)] if reply.followup else [])
