"""What the assistant says about a matter, built from the catalogue (pure functions).

Standard mode gives a short overview and lets the person choose what to see next. Elderly mode
gives one short step per message in plain words, and every message offers "next", "repeat" and
"talk to staff", because at a kiosk a long paragraph is where people give up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from knowledge import answer_types
from knowledge.catalogue import Catalogue, Matter
from knowledge.life_events import FORM_WORDS

Button = Dict[str, str]

ASPECT_TITLES = {
    "zh": {"materials": "材料清单", "fees_time": "费用和时间", "where_when": "地点和时间",
           "book": "预约办理", "related": "相关事项"},
    "en": {"materials": "Documents", "fees_time": "Fees and time", "where_when": "Where and when",
           "book": "Book an appointment", "related": "Related matters"},
}
ELDERLY_BUTTONS = {
    "zh": [("下一步", "/next_step"), ("再说一遍", "/repeat"), ("找工作人员", "/human_handoff")],
    "en": [("Next", "/next_step"), ("Repeat", "/repeat"), ("Talk to staff", "/human_handoff")],
}


@dataclass
class Message:
    text: str
    buttons: List[Button] = field(default_factory=list)
    custom: Optional[dict] = None  # structured extras for pages and kiosks (a life event's checklist)


def _payload(intent: str, matter: str) -> str:
    return f'/{intent}{{"matter":"{matter}"}}'


def aspect_buttons(matter: Matter, lang: str, skip: Optional[str] = None) -> List[Button]:
    titles = ASPECT_TITLES["en" if lang == "en" else "zh"]
    buttons = []
    for aspect in ("materials", "fees_time", "where_when", "book", "related"):
        if aspect == skip:
            continue
        if aspect == "book":  # the booking form (issue 5) reads the matter from this entity
            payload = f'/book_appointment{{"appointment_matter":"{matter.id}"}}'
        else:
            payload = _payload(f"ask_{aspect}", matter.id)
        buttons.append({"title": titles[aspect], "payload": payload})
    return buttons


def elderly_buttons(lang: str, with_next: bool = True) -> List[Button]:
    return [{"title": t, "payload": p} for t, p in ELDERLY_BUTTONS["en" if lang == "en" else "zh"]
            if with_next or p != "/next_step"]


# --- standard mode ----------------------------------------------------------------------------------


def overview(matter: Matter, lang: str) -> Message:
    if lang == "en":
        text = (f"{matter.name.en}\n{matter.summary.en}\nDepartment: {matter.department.en}.\n"
                "What would you like to see?")
    else:
        text = f"{matter.name.zh}\n{matter.summary.zh}\n办理部门：{matter.department.zh}。\n您想了解哪一项？"
    return Message(text, aspect_buttons(matter, lang))


def materials(matter: Matter, lang: str) -> Message:
    forms = FORM_WORDS["en" if lang == "en" else "zh"]
    lines = [f"{matter.name(lang)} — " + ("documents to bring:" if lang == "en" else "需要带的材料：")]
    for number, item in enumerate(matter.materials, 1):
        copies = f" ×{item.copies}" if item.copies > 1 else ""
        when = ""
        if item.when:
            when = f" (only {item.when.en})" if lang == "en" else f"（{item.when.zh}）"
        note = ""
        if item.notes:
            note = f" — {item.notes.en}" if lang == "en" else f"——{item.notes.zh}"
        form = f" ({forms[item.form]}{copies})" if lang == "en" else f"（{forms[item.form]}{copies}）"
        lines.append(f"{number}. {item.name(lang)}{form}{when}{note}")
    return Message("\n".join(lines), aspect_buttons(matter, lang, skip="materials"))


def _days(days: int, lang: str) -> str:
    if days == 0:
        return "on the spot" if lang == "en" else "当场办结"
    return f"{days} working day{'s' if days > 1 else ''}" if lang == "en" else f"{days}个工作日"


def fees_time(matter: Matter, lang: str) -> Message:
    t = matter.time
    if lang == "en":
        text = (f"{matter.name.en} — fees: {matter.fees.en}\nTime: up to {_days(t.statutory_days, 'en')} by law; "
                f"Jiangzhou promises {_days(t.promised_days, 'en')}.")
    else:
        text = (f"{matter.name.zh}——费用：{matter.fees.zh}\n时间：法定{_days(t.statutory_days, 'zh')}，"
                f"江州承诺{_days(t.promised_days, 'zh')}。")
    if t.notes:
        text += f"\n{t.notes(lang)}"
    return Message(text, aspect_buttons(matter, lang, skip="fees_time"))


def where_when(matter: Matter, lang: str) -> Message:
    w = matter.where
    if lang == "en":
        text = (f"{matter.name.en} — where: {w.hall.en}, {w.window.en}\nAddress: {w.address.en}\n"
                f"Hours: {w.hours.en}")
        if matter.channels.online and matter.channels.online_via:
            text += f"\nOnline: {matter.channels.online_via.en}"
    else:
        text = f"{matter.name.zh}——地点：{w.hall.zh} {w.window.zh}\n地址：{w.address.zh}\n时间：{w.hours.zh}"
        if matter.channels.online and matter.channels.online_via:
            text += f"\n网上办理：{matter.channels.online_via.zh}"
    return Message(text, aspect_buttons(matter, lang, skip="where_when"))


def related(matter: Matter, catalogue: Catalogue, lang: str) -> Message:
    others = [catalogue.matters[m] for m in matter.related if m in catalogue.matters]
    text = (f"Related to {matter.name.en}:" if lang == "en" else f"与{matter.name.zh}相关的事项：")
    text += "\n" + "\n".join(f"- {o.name(lang)}" for o in others)
    buttons = [{"title": o.name(lang), "payload": f"/{o.id}"} for o in others]
    return Message(text, buttons)


# --- elderly mode -----------------------------------------------------------------------------------


def _plain(name: str) -> str:
    """Drop the bracketed detail of a document name: short sentences are easier to follow."""
    return re.sub(r"\s*[（(].*?[）)]", "", name).strip() or name


def plain_place(window: str) -> str:
    """A window in short words, keeping what the brackets say about getting in ("step-free entrance
    at the north door"): that detail is for the very people elderly mode serves."""
    kept = [d for d in re.findall(r"[（(](.*?)[）)]", window) if "access" in answer_types.stated(d)]
    plain = _plain(window)
    return plain + "".join(f"（{d}）" if re.search(r"[\u4e00-\u9fff]", d) else f" ({d})" for d in kept)


#: how much of the fee wording an elderly reply quotes
ELDERLY_FEE_CHARS = {"zh": 40, "en": 140}  # about the same facts in each language


def fee_text(matter: Matter, lang: str, limit: int) -> str:
    """The catalogue's own fee wording, cut at the end of a part to fit ``limit`` characters.
    "About 20 yuan" from the amount alone was wrong for a lost ID card (40 yuan): the parts that
    fit are quoted as the catalogue says them, and the first part is kept whole whatever its length."""
    text = matter.fees(lang).strip()
    if len(text) <= limit:
        return text
    out = ""
    for part in re.split(r"(?<=[；;。])\s*|(?<=\.)\s+", text):
        if out and len(out) + len(part) > limit:
            break
        out += part if lang != "en" or not out else " " + part
    return out[:-1] + ("." if lang == "en" else "。") if out[-1] in "；;" else out


def elderly_steps(matter: Matter, lang: str) -> List[str]:
    """Short sentences, one per message: where to go, each document, the cost, the wait."""
    en = lang == "en"
    forms = FORM_WORDS["en" if en else "zh"]
    w = matter.where
    steps = [f"Go to {w.hall.en}, {plain_place(w.window.en)}." if en
             else f"办{_plain(matter.name.zh)}：去{w.hall.zh}，{plain_place(w.window.zh)}。"]
    for item in matter.materials:
        name = _plain(item.name(lang))
        if en:
            when = f" (only {item.when.en})" if item.when else ""
            steps.append(f"Bring: {name}, the {forms[item.form]}{when}.")
        else:
            when = f"（{item.when.zh}才要）" if item.when else ""
            steps.append(f"带上：{name}，要{forms[item.form]}{when}。")
    if matter.fee_amount_yuan == 0:
        steps.append("It is free." if en else "不收钱。")
    else:
        said = fee_text(matter, lang, ELDERLY_FEE_CHARS[lang])
        steps.append(f"It costs: {said}" if en else f"要交钱：{said}")
    days = matter.time.promised_days
    if days == 0:
        steps.append("It is done on the spot." if en else "当场就能办好。")
    else:
        steps.append(f"It takes about {days} working days." if en else f"大约{days}个工作日办好。")
    steps.append(f"Open: {w.hours.en}." if en else f"上班时间：{w.hours.zh}。")
    return steps


def first_material_step() -> int:
    return 1


def elderly_step(matter: Matter, lang: str, index: int) -> Message:
    steps = elderly_steps(matter, lang)
    if index >= len(steps):
        done = ("That is everything. Anything else?" if lang == "en" else "都说完了。还有别的要问吗？")
        return Message(done, elderly_buttons(lang, with_next=False))
    prefix = f"Step {index + 1} of {len(steps)}. " if lang == "en" else f"第{index + 1}步（共{len(steps)}步）："
    return Message(prefix + steps[index], elderly_buttons(lang, with_next=index + 1 < len(steps)))


def elderly_aspect(matter: Matter, catalogue: Catalogue, aspect: str, lang: str) -> Message:
    """An aspect asked for by an elderly person: still one short message."""
    steps = elderly_steps(matter, lang)
    if aspect == "fees_time":
        text = steps[-3] + " " + steps[-2]
    elif aspect == "where_when":
        text = steps[0] + " " + steps[-1]
    elif aspect == "related":
        names = [catalogue.matters[m].name(lang) for m in matter.related if m in catalogue.matters]
        text = ("Related: " + ", ".join(names) + ".") if lang == "en" else ("相关的事：" + "、".join(names) + "。")
    else:
        return elderly_step(matter, lang, first_material_step())
    return Message(text, elderly_buttons(lang))


# --- service hall -----------------------------------------------------------------------------------


def service_hall(catalogue: Catalogue, lang: str, elderly: bool = False) -> Message:
    """The main hall (where most matters are handled), its zones, and the places elsewhere."""
    halls: Dict[str, List[Matter]] = {}
    for matter in catalogue.matters.values():
        halls.setdefault(matter.where.hall.zh, []).append(matter)
    main_name = max(halls, key=lambda h: len(halls[h]))
    main = halls[main_name][0].where
    en = lang == "en"
    if elderly:
        seniors = next((m.where.window for m in catalogue.matters.values() if "长者优先" in m.where.window.zh), None)
        text = (f"{main.hall.en}, {main.address.en}. Open {main.hours.en}. There is a priority window for seniors"
                f"{': ' + seniors.en if seniors else ''}." if en else
                f"{main.hall.zh}，在{main.address.zh}。上班时间：{main.hours.zh}。有老年人优先窗口"
                f"{'：' + seniors.zh if seniors else ''}。")
        return Message(text, elderly_buttons(lang, with_next=False))
    lines = [f"{main.hall.en}: {main.address.en}\nHours: {main.hours.en} (some windows differ)" if en
             else f"{main.hall.zh}：{main.address.zh}\n时间：{main.hours.zh}（个别窗口不同）"]
    lines.append("Windows:" if en else "窗口分布：")
    for matter in halls[main_name]:
        lines.append(f"- {matter.where.window(lang)}: {matter.name(lang)}" if en
                     else f"- {matter.where.window.zh}：{matter.name.zh}")
    others = [m for h, ms in halls.items() if h != main_name for m in ms if "或" not in h and " or " not in m.where.hall.en]
    if others:
        lines.append("Elsewhere:" if en else "其他地点：")
        for matter in others:
            lines.append(f"- {matter.name(lang)}: {matter.where.hall(lang)}, {matter.where.address(lang)}")
    return Message("\n".join(lines))


BOOKING_CODE_LOCKED = {
    "zh": "为了保护大家的预约，输错预约码的次数太多，现在暂时不能在这里用预约码取消。"
          "请一小时后再试，或者拨打12345热线、到办事大厅窗口办理。用预约时的同一个对话，仍然可以取消自己的预约。",
    "en": "To protect everyone's bookings, cancelling by booking code is paused here for now: too many wrong "
          "codes were tried. Please try again in an hour, call the 12345 hotline, or ask at the service hall. "
          "From the conversation you booked in, you can still cancel your own booking.",
}


def booking_code_locked(lang: str) -> Message:
    """Too many wrong booking codes (``knowledge.booking_guard``): polite, with the ways that remain."""
    return Message(BOOKING_CODE_LOCKED["en" if lang == "en" else "zh"])
