"""The answer about an imported matter, as plain text in Chinese or English (pure).

Imported lists are written in Chinese; only the name and the one-line overview have English. An
English answer therefore gives English labels and sentences around the list's own Chinese values
(materials, place, fee text), which is what a person shows at the window anyway. ``aspect``
narrows the answer to what was asked (the lead's guide decides the aspect; ``None`` is the
overview with every fact).
"""

from __future__ import annotations

from typing import List, Optional

from knowledge.imported import ImportedItem, ImportedMatter, ImportedMaterial

ASPECTS = ("materials", "fee", "time", "where", "hours", "phone", "online")
_FORMS = {"zh": {"original": "原件", "copy": "复印件", "original_and_copy": "原件和复印件"},
          "en": {"original": "original", "copy": "copy", "original_and_copy": "original and copy"}}
_CHANNELS = {"zh": {"online": "可全程网上办理，无需到窗口。", "in_person": "需到窗口办理，暂不能网上办。",
                    "online_and_in_person": "可网上办理，也可到窗口办理。"},
             "en": {"online": "It can be done entirely online; no need to come to a window.",
                    "in_person": "It must be done in person at the window; it cannot be done online.",
                    "online_and_in_person": "You can apply online or in person at the window."}}


def _material(material: ImportedMaterial, lang: str) -> str:
    form = _FORMS[lang][material.form]
    if lang == "en":
        text = f"{material.name} ({form}{f', {material.copies} copies' if material.copies > 1 else ''})"
    else:
        text = f"{material.name}（{form}{material.copies}份）"
    return f"{text}：{material.notes}" if material.notes and lang == "zh" else \
        f"{text}: {material.notes}" if material.notes else text


def _materials(matter: ImportedMatter, lang: str) -> List[str]:
    lines: List[str] = []
    for item in matter.items:
        if len(matter.items) > 1 and item.name:
            lines.append(f"{item.name}:" if lang == "en" else f"{item.name}：")
        lines += [f"{index}. {_material(m, lang)}" for index, m in enumerate(item.materials, start=1)]
    return lines


def _fee(item: ImportedItem, lang: str) -> str:
    if item.fee_yuan == 0:
        return "Free of charge." if lang == "en" else "不收费。"
    return f"Fee: {item.fee}." if lang == "en" else f"收费：{item.fee}。"


def _time(matter: ImportedMatter, lang: str) -> str:
    promised, statutory = matter.promised_days, matter.statutory_days
    if lang == "en":
        if promised == 0:
            return "Done on the spot (same day)."
        parts = [f"promised within {promised} working days" if promised else "",
                 f"{statutory} working days by law" if statutory else ""]
        said = "; ".join(p for p in parts if p)
        return f"Time: {said}." if said else ""
    if promised == 0:
        return "即办（当场办结）。"
    parts = [f"承诺{matter.promised_text}办结" if matter.promised_text else "",
             f"法定时限{matter.statutory_text}" if matter.statutory_text else ""]
    said = "，".join(p for p in parts if p)
    return f"办理时限：{said}。" if said else ""


def render(matter: ImportedMatter, lang: str = "zh", aspect: Optional[str] = None) -> str:
    """Plain text for a chat bubble, a WeChat reply or speech; ``aspect`` is one of :data:`ASPECTS`."""
    lang = "en" if lang == "en" else "zh"
    if aspect is not None and aspect not in ASPECTS:
        raise ValueError(f"aspect must be one of {', '.join(ASPECTS)}")
    en = lang == "en"
    name = matter.name(lang)
    where = (f"Where: {matter.place}." if en else f"办理地点：{matter.place}。") if matter.place else ""
    hours = (f"Hours: {matter.hours}." if en else f"办理时间：{matter.hours}。") if matter.hours else ""
    phone = (f"Enquiries: {matter.phone}." if en else f"咨询电话：{matter.phone}。") if matter.phone else ""
    fee = " ".join(dict.fromkeys(_fee(i, lang) for i in matter.items)) if matter.items else ""
    materials = _materials(matter, lang)
    head = (f"{name} — documents to bring:" if en else f"{name}需要带：")
    sections = {
        "materials": "\n".join([head, *materials]) if materials else "",
        "fee": f"{name}: {fee}" if en else f"{name}：{fee}",
        "time": f"{name}: {_time(matter, lang)}" if en else f"{name}：{_time(matter, lang)}",
        "where": " ".join(p for p in (where, hours) if p),
        "hours": hours,
        "phone": phone,
        "online": _CHANNELS[lang][matter.channel],
    }
    if aspect is not None:
        return sections[aspect] or phone
    overview = (matter.overview_en if en else matter.overview_zh) or name
    department = (matter.department_en or matter.department_zh) if en else matter.department_zh
    by = f"Handled by {department}." if en else f"由{department}办理。"
    lines = [f"{name}: {overview}" if en else f"{name}：{overview}", by, sections["materials"], fee,
             _time(matter, lang), _CHANNELS[lang][matter.channel], where, hours, phone]
    return "\n".join(line for line in lines if line)
