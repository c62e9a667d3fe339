"""Focused answers: the one thing a person asked about a matter, a life event or their case,
said first and briefly, from the catalogue alone (pure functions).

A good service-hall guide answers "收费不?" with "收，120元", not with the whole leaflet. So every
answer here leads with the fact (or yes/no and the fact), stays inside one phone screen, and
offers the other aspects as buttons. Elderly mode gets one short sentence in plain words.
"""

from __future__ import annotations

from typing import List, Optional

from knowledge.catalogue import Catalogue, LifeEvent, Matter
from knowledge.life_events import combined_checklist
from knowledge.replies import (ELDERLY_FEE_CHARS, Message, _days, _plain, aspect_buttons, elderly_buttons,
                               elderly_steps, fee_text, materials as materials_message, plain_place)

#: what differs for an applicant the catalogue has no variant for, and who to ask (never the
#: default adult answer as if nothing changed)
GENERIC_WHO = {
    "minor": {"zh": "未成年人办理一般要监护人（父母）陪同，带孩子的户口簿或出生医学证明和监护人身份证；具体以窗口为准，可先打12345问清楚。",
              "en": "For a child, a parent or guardian usually comes along with the child's hukou booklet or birth "
                    "certificate and the guardian's ID card; check with the window or call 12345 first."},
    "senior": {"zh": "老人行动不便的，可以请家人带授权委托书和双方身份证代办；需要本人到场的，大厅有老年人优先窗口，也可以打12345问能否上门办理。",
               "en": "If an older person cannot come, a family member can often apply with a signed power of "
                     "attorney and both ID cards; where they must come in person there is a priority window, "
                     "and you can call 12345 to ask about a home visit."},
    "agent": {"zh": "别人代办一般要带授权委托书、委托人和代办人的身份证原件；需要本人采集指纹、拍照或签字的，本人必须到场。",
              "en": "Someone applying for another person usually brings a signed power of attorney and both ID "
                    "cards; steps that need fingerprints, a photo or a signature need the person themselves."},
    "foreigner": {"zh": "外国人办理的要求不同，一般到市公安局出入境管理支队（A区出入境窗口）办理，可打12367咨询。",
                  "en": "Foreign nationals follow different rules, usually at the Exit and Entry Administration "
                        "(Zone A exit-entry windows); call 12367 to check."},
}


WHO_LABEL = {"minor": {"zh": "给孩子", "en": "a child"}, "senior": {"zh": "给老人", "en": "an older person"},
             "agent": {"zh": "替别人", "en": "someone applying for another"},
             "foreigner": {"zh": "外国人", "en": "a foreign national"},
             "disabled": {"zh": "残疾人", "en": "a person with a disability"}}


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _buttons(matter: Matter, lang: str, elderly: bool, skip: Optional[str] = None) -> List[dict]:
    return elderly_buttons(lang, with_next=False) if elderly else aspect_buttons(matter, lang, skip=skip)


def who_note(matter: Matter, who: Optional[str], lang: str) -> Optional[str]:
    """What changes for this applicant: the catalogue's variant, or what usually differs (nothing
    for a child when the matter is the baby's own: its birth certificate is a base material)."""
    if not who or (who == "minor" and any(m.id == "birth_medical_certificate" and not m.when
                                          for m in matter.materials or [])):
        return None
    for variant in matter.variants or []:
        if variant.who == who:
            text = variant.note(lang)
            extra = [m.name(lang) for m in variant.materials or []]
            if extra:
                text += _t(lang, "另外要带：", " Also bring: ") + ("、" if lang != "en" else ", ").join(extra) + \
                    _t(lang, "。", ".")
            return text
    return GENERIC_WHO[who][lang if lang == "en" else "zh"]


def _lead(lead: str, text: str, sep: str) -> str:
    """"不收费" and then the catalogue's "不收费": say it once."""
    return text if text.strip("。.：: ").lower().startswith(lead.strip("。.：: ").lower()) else lead + sep + text


def fee(matter: Matter, lang: str, yes_no: bool, elderly: bool) -> str:
    free = matter.fee_amount_yuan == 0
    if elderly:
        said = fee_text(matter, lang, ELDERLY_FEE_CHARS[lang])
        return _t(lang, _lead("不收费" if free else "要交钱", said, "："),
                  _lead("It is free" if free else "Yes, there is a fee", said, ": "))
    if yes_no:
        return _t(lang, _lead("不收费。" if free else "收费。", matter.fees.zh, ""),
                  # "is it free?" and "does it cost anything?" both: a yes or a no would answer one only
                  _lead("It is free.", matter.fees.en, " ") if free else f"There is a fee. {matter.fees.en}")
    return _t(lang, f"{matter.name.zh}的费用：{matter.fees.zh}", f"{matter.name.en} fees: {matter.fees.en}")


def time(matter: Matter, lang: str, elderly: bool) -> str:
    t = matter.time
    if elderly:
        return elderly_steps(matter, lang)[-2]
    text = _t(lang, f"{matter.name.zh}：江州承诺{_days(t.promised_days, 'zh')}办好（法定{_days(t.statutory_days, 'zh')}）。",
              f"{matter.name.en}: Jiangzhou promises {_days(t.promised_days, 'en')} "
              f"(the law allows {_days(t.statutory_days, 'en')}).")
    if t.notes:
        text += " " + t.notes(lang) if lang == "en" else t.notes.zh
    return text


def where(matter: Matter, lang: str, elderly: bool, hours_only: bool = False) -> str:
    w = matter.where
    if elderly:
        return _t(lang, f"去{w.hall.zh}，{plain_place(w.window.zh)}，地址是{w.address.zh}。上班时间：{w.hours.zh}。",
                  f"Go to {w.hall.en}, {plain_place(w.window.en)}, {w.address.en}. Open {w.hours.en}.")
    if hours_only:
        return _t(lang, f"{matter.name.zh}的办理时间：{w.hours.zh}（{w.hall.zh} {w.window.zh}）。",
                  f"{matter.name.en} opening hours: {w.hours.en} ({w.hall.en}, {w.window.en}).")
    return _t(lang, f"{matter.name.zh}在{w.hall.zh} {w.window.zh}办理，地址：{w.address.zh}。时间：{w.hours.zh}。",
              f"{matter.name.en}: {w.hall.en}, {w.window.en}. Address: {w.address.en}. Hours: {w.hours.en}.")


def online(matter: Matter, lang: str, elderly: bool) -> str:
    c, w = matter.channels, matter.where
    if c.online:
        via = c.online_via(lang) if c.online_via else ""
        return _t(lang, f"可以在网上办。{via}", f"Yes, you can do it online. {via}").strip()
    return _t(lang, f"不能在网上办，要到{w.hall.zh} {_plain(w.window.zh)}办理。",
              f"No, it cannot be done online: apply at {w.hall.en}, {_plain(w.window.en)}.")


def _field_or(matter: Matter, value, lang: str, fallback: str) -> str:
    return value(lang) if value is not None else fallback


def aspect_text(matter: Matter, catalogue: Catalogue, aspect: str, lang: str, *, yes_no: bool = False,
                elderly: bool = False) -> str:
    """The answer to one aspect of a matter, fact first."""
    if aspect == "fee":
        return fee(matter, lang, yes_no, elderly)
    if aspect == "time":
        return time(matter, lang, elderly)
    if aspect in ("where", "hours"):
        return where(matter, lang, elderly, hours_only=aspect == "hours")
    if aspect == "online":
        return online(matter, lang, elderly)
    if aspect == "proxy":
        return _field_or(matter, matter.proxy, lang, GENERIC_WHO["agent"]["en" if lang == "en" else "zh"])
    if aspect == "booking":
        return booking_elsewhere(matter, lang)
    if aspect in ("deadline", "frequency"):
        return _field_or(matter, matter.deadline, lang, _t(lang, "这件事没有规定的办理期限。", "There is no fixed deadline."))
    if aspect == "collect":
        return _field_or(matter, matter.collect, lang, where(matter, lang, elderly))
    if aspect == "eligibility":
        return _t(lang, f"谁能办：{matter.eligibility.zh}", f"Who can apply: {matter.eligibility.en}")
    if aspect == "related":
        names = [catalogue.matters[m].name(lang) for m in matter.related if m in catalogue.matters]
        return _t(lang, "相关的事：" + "、".join(names) + "。", "Related: " + ", ".join(names) + ".")
    if aspect == "process":
        return elderly_process(matter, lang) if elderly else _online_too(essentials(matter, lang).text, matter, lang)
    raise ValueError(f"unknown aspect {aspect!r}")


def booking_elsewhere(matter: Matter, lang: str) -> str:
    """A matter the service hall does not book: where it is done and how that office books."""
    w = matter.where
    how = matter.booking(lang) if matter.booking is not None else ""
    return _t(lang, f"{matter.name.zh}不在政务服务中心预约，要到{w.hall.zh}（{w.address.zh}）办理。{how}",
              f"{matter.name.en} is not booked at the service centre: it is done at {w.hall.en} "
              f"({w.address.en}). {how}")


def essentials(matter: Matter, lang: str) -> Message:
    """What a guide says first: what it is, what to bring, the cost, the wait, where. The details
    of each are one question (or button) away."""
    items = ("、" if lang != "en" else ", ").join(_plain(m.name(lang)) for m in matter.materials)
    fees = fee_text(matter, lang, 70 if lang != "en" else 90)
    w, days = matter.where, matter.time.promised_days
    core = _t(lang, f"要带：{items}。\n费用：{fees}\n时间：{_days(days, 'zh')}。地点：{w.hall.zh} {w.window.zh}。",
              f"Bring: {items}.\nFees: {fees}\nTime: {_days(days, 'en')}. Where: {w.hall.en}, {_plain(w.window.en)}.")
    text = _t(lang, f"{matter.name.zh}：{matter.summary.zh}\n{core}", f"{matter.name.en}: {matter.summary.en}\n{core}")
    if _fit(text, lang) != text:  # the summary is the part a follow-up can bring back
        text = _t(lang, f"{matter.name.zh}\n{core}", f"{matter.name.en}\n{core}")
    return Message(_fit(text, lang), aspect_buttons(matter, lang))


def overview(matter: Matter, lang: str) -> List[Message]:
    """The essentials, with the summary in a bubble of its own when both do not fit in one: what
    the matter is ("valid for six months") is as much the answer as what to bring."""
    whole = essentials(matter, lang)
    if whole.text.startswith(_t(lang, f"{matter.name.zh}：", f"{matter.name.en}: ")):
        return [whole]
    summary = _t(lang, f"{matter.name.zh}：{matter.summary.zh}", f"{matter.name.en}: {matter.summary.en}")
    return [Message(_fit(summary, lang)), whole]


def matter_answer(matter: Matter, catalogue: Catalogue, aspect: str, lang: str, *, yes_no: bool = False,
                  who: Optional[str] = None, elderly: bool = False) -> Message:
    """One aspect of a matter, with what differs for the applicant first when it differs."""
    note = who_note(matter, who, lang)
    variant = matter.variant(who) if who else None
    if aspect in ("materials", "missing") and variant is not None and variant.materials:
        extra = ("、" if lang != "en" else ", ").join(m.name(lang) for m in variant.materials)
        note = _t(lang, f"{WHO_LABEL[who]['zh']}办，另外要带：{extra}。", f"For {WHO_LABEL[who]['en']}, also bring: {extra}.")
    if aspect in ("materials", "missing"):
        if elderly:
            items = [_plain(m.name(lang)) for m in matter.materials]
            text = _t(lang, "要带：" + "、".join(items) + "。", "Bring: " + ", ".join(items) + ".")
            message = Message(text, elderly_buttons(lang, with_next=False))
        else:
            message = materials_message(matter, lang)
            if _fit(message.text, lang) != message.text:  # the notes go: the documents must all fit
                message = Message(_fit(materials_message(matter.copy(update={"materials": [
                    m.copy(update={"notes": None}) for m in matter.materials]}), lang).text, lang),
                    message.buttons)
        if note:
            message = Message(note + "\n" + message.text, message.buttons)
        return message
    text = aspect_text(matter, catalogue, aspect, lang, yes_no=yes_no, elderly=elderly)
    if note and aspect in ("process", "proxy", "eligibility", "where", "online"):
        text = note + ("\n" if not elderly else " ") + text
    return Message(text, _buttons(matter, lang, elderly))


def elderly_process(matter: Matter, lang: str) -> str:
    steps = elderly_steps(matter, lang)
    items = ("、" if lang != "en" else ", ").join(_plain(m.name(lang)) for m in matter.materials)
    return _online_too(_t(lang, f"{steps[0]} 带上{items}。", f"{steps[0]} Bring {items}."), matter, lang)


def _online_too(text: str, matter: Matter, lang: str) -> str:
    """How to do it, with the phone's way when there is one ("养老金认证咋弄": most scan their face in
    an app and never come in), as long as the bubble still fits."""
    c = matter.channels
    if not (c.online and c.online_via):
        return text
    more = text + _t(lang, f"\n也可以在手机上办：{c.online_via.zh}", f"\nOr do it online: {c.online_via.en}")
    return more if _fit(more, lang) == more else text


# --- life events ---------------------------------------------------------------------------------


def event_overview(event: LifeEvent, catalogue: Catalogue, lang: str, elderly: bool) -> Message:
    """A summary and the steps in order; each step is a button (the whole checklist is too long)."""
    checklist = combined_checklist(catalogue, event, lang)
    buttons = [{"title": f"{s.order}. {s.title}", "payload": f"/{s.matter}"}
               for s in checklist.steps]
    if elderly:
        first = checklist.steps[0]
        text = _t(lang, f"{event.name.zh}：一共{len(checklist.steps)}件事。第一件是{first.title}。{first.note}",
                  f"{event.name.en}: {len(checklist.steps)} things to do. First: {first.title}. {first.note}")
        return Message(text, buttons[:3] + elderly_buttons(lang, False)[1:], {"checklist": checklist.as_dict()})
    steps = _t(lang, "；".join(f"{s.order}.{s.title}" for s in checklist.steps),
               "; ".join(f"{s.order}. {s.title}" for s in checklist.steps))
    text = _t(lang, f"{event.name.zh}：{event.summary.zh}\n按顺序办：{steps}。\n可以问我要带的材料、去哪办、期限，或点下面的某一项。",
              f"{event.name.en}: {event.summary.en}\nIn order: {steps}.\nAsk me about documents, where to go or "
              "deadlines, or tap a step.")
    if _fit(text, lang) != text:  # the summary goes first: the steps are what the person needs
        text = _t(lang, f"{event.name.zh}，按顺序办：{steps}。\n可以问我材料、地点、期限，或点下面的某一项。",
                  f"{event.name.en}, in order: {steps}.\nAsk me about documents, places or deadlines, or tap a step.")
    return Message(_fit(text, lang), buttons, {"checklist": checklist.as_dict()})


def event_answer(event: LifeEvent, catalogue: Catalogue, aspect: str, lang: str, elderly: bool) -> Message:
    """An aspect across a life event's steps: the combined documents, the places, the order..."""
    checklist = combined_checklist(catalogue, event, lang)
    sep = "；" if lang != "en" else "; "
    buttons = [] if elderly else [{"title": s.title, "payload": f"/{s.matter}"}
                                 for s in checklist.steps]
    if elderly:
        buttons = elderly_buttons(lang, with_next=False)
    if aspect == "materials":
        names = [_plain(m.name) for m in checklist.materials]
        text = _t(lang, f"{event.name.zh}一共要带：" + "、".join(names) + "（每样带一份就够，各步骤共用）。",
                  f"{event.name.en}, everything to bring: " + ", ".join(names) + " (one set serves every step).")
    elif aspect in ("where", "hours"):
        text = _t(lang, "各步骤去哪办：", "Where each step is done: ") + sep.join(
            f"{s.title}：{s.where}" if lang != "en" else f"{s.title}: {s.where}" for s in checklist.steps)
    elif aspect == "deadline":
        dated = [s for s in checklist.steps if s.deadline]
        text = (sep.join(f"{s.title}：{s.deadline}" if lang != "en" else f"{s.title}: {s.deadline}" for s in dated)
                if dated else _t(lang, "这些事没有统一的期限。", "There is no single deadline for these steps.") +
                (_t(lang, "第一件：", " First: ") + checklist.steps[0].note if checklist.steps else ""))
        text = _t(lang, "期限：", "Deadlines: ") + text
    elif aspect == "fee":
        parts = []
        for s in checklist.steps:
            amount = catalogue.matters[s.matter].fee_amount_yuan
            parts.append(f"{s.title}：{'免费' if amount == 0 else f'{amount:g}元'}" if lang != "en"
                         else f"{s.title}: {'free' if amount == 0 else f'{amount:g} yuan'}")
        text = _t(lang, "费用：", "Fees: ") + sep.join(parts)
    elif aspect == "time":
        text = _t(lang, "办理时间：", "Processing time: ") + sep.join(
            f"{s.title}：{_days(catalogue.matters[s.matter].time.promised_days, 'zh')}" if lang != "en"
            else f"{s.title}: {_days(catalogue.matters[s.matter].time.promised_days, 'en')}" for s in checklist.steps)
    elif aspect == "online":
        parts = []
        for s in checklist.steps:
            c = catalogue.matters[s.matter].channels
            how = (c.online_via(lang) if c.online_via else _t(lang, "可以网上办", "online")) if c.online else \
                _t(lang, "要到窗口办", "in person only")
            parts.append(f"{s.title}：{how}" if lang != "en" else f"{s.title}: {how}")
        text = _t(lang, "网上办理：", "Online: ") + sep.join(parts)
    elif aspect == "proxy":  # "can grandma go instead?": who may act for them, step by step
        colon = "：" if lang != "en" else ": "
        text = _t(lang, "能不能代办：", "Who can go for you: ") + sep.join(
            s.title + colon + aspect_text(catalogue.matters[s.matter], catalogue, "proxy", lang).rstrip("。.")
            for s in checklist.steps)
    else:  # process / order / anything else: the steps in order with their notes
        text = _t(lang, "办理顺序：", "The order: ") + sep.join(
            f"{s.order}.{s.title}（{s.note}）" if lang != "en" else f"{s.order}. {s.title} ({s.note})"
            for s in checklist.steps)
    return Message(_fit(text, lang), buttons)


def _fit(text: str, lang: str, zh_limit: int = 290, en_words: int = 58) -> str:
    """Keep a bubble inside one phone screen; the buttons carry the rest."""
    if lang == "en":
        words = text.split()
        return text if len(words) <= en_words else " ".join(words[:en_words]).rstrip(",;") + " …"
    return text if len(text) <= zh_limit else text[:zh_limit].rstrip("；，") + "…"
