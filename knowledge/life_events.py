"""A life event ("one thing, done once") as one combined checklist.

Several matters of one event ask for the same documents (the ID card, the hukou booklet); a
person should prepare each once. Materials are merged by their catalogue id: the strictest form
wins (original and copy beats original beats copy), the largest number of copies wins, and the
checklist says which steps use each document. Pure functions over the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from knowledge.catalogue import Catalogue, LifeEvent, Material

_FORM_RANK = {"copy": 0, "original": 1, "original_and_copy": 2}
FORM_WORDS = {
    "zh": {"copy": "复印件", "original": "原件", "original_and_copy": "原件和复印件"},
    "en": {"copy": "copy", "original": "original", "original_and_copy": "original and a copy"},
}


@dataclass
class ChecklistItem:
    material_id: str
    name: str
    form: str
    copies: int
    needed_for: List[str] = field(default_factory=list)  # matter ids, in step order
    when: Optional[str] = None  # a condition, only when every use is conditional


@dataclass
class ChecklistStep:
    order: int
    matter: str
    title: str
    note: str
    where: str
    hours: str
    deadline: Optional[str]


@dataclass
class Checklist:
    event: str
    lang: str
    name: str
    summary: str
    steps: List[ChecklistStep]
    materials: List[ChecklistItem]

    def as_dict(self) -> dict:
        return {
            "id": self.event, "lang": self.lang, "name": self.name, "summary": self.summary,
            "steps": [vars(s) for s in self.steps],
            "materials": [vars(m) for m in self.materials],
        }


def combined_checklist(catalogue: Catalogue, event: LifeEvent, lang: str = "zh") -> Checklist:
    """Steps in order, with where to go, and each document once with what it is needed for."""
    steps = sorted(event.steps, key=lambda s: s.order)
    out_steps: List[ChecklistStep] = []
    merged: Dict[str, ChecklistItem] = {}
    conditional: Dict[str, bool] = {}
    for step in steps:
        matter = catalogue.matter(step.matter)
        out_steps.append(ChecklistStep(
            order=step.order, matter=matter.id, title=matter.name(lang), note=step.note(lang),
            where=f"{matter.where.hall(lang)} {matter.where.window(lang)}",
            hours=matter.where.hours(lang),
            deadline=step.deadline(lang) if step.deadline else None,
        ))
        for material in matter.materials:
            if step.materials is not None and material.id not in step.materials:
                continue
            _merge(merged, conditional, material, matter.id, lang)
    for item in merged.values():
        if not conditional[item.material_id]:
            item.when = None
    return Checklist(event=event.id, lang=lang, name=event.name(lang), summary=event.summary(lang),
                     steps=out_steps, materials=list(merged.values()))


def _merge(merged: Dict[str, ChecklistItem], conditional: Dict[str, bool], material: Material,
           matter_id: str, lang: str) -> None:
    item = merged.get(material.id)
    is_conditional = material.when is not None
    if item is None:
        merged[material.id] = ChecklistItem(
            material_id=material.id, name=material.name(lang), form=material.form,
            copies=material.copies, needed_for=[matter_id],
            when=material.when(lang) if material.when else None,
        )
        conditional[material.id] = is_conditional
        return
    if _FORM_RANK[material.form] > _FORM_RANK[item.form]:
        item.form = material.form
    item.copies = max(item.copies, material.copies)
    if matter_id not in item.needed_for:
        item.needed_for.append(matter_id)
    conditional[material.id] = conditional[material.id] and is_conditional


def checklist_text(checklist: Checklist, catalogue: Catalogue) -> str:
    """The checklist as one chat message (numbered steps, then documents to bring once)."""
    lang = checklist.lang
    lines = [checklist.name + ("：" if lang == "zh" else ":"), checklist.summary]
    lines.append("办理顺序：" if lang == "zh" else "In this order:")
    for step in checklist.steps:
        deadline = f"（{step.deadline}）" if step.deadline and lang == "zh" else (
            f" ({step.deadline})" if step.deadline else "")
        lines.append(f"{step.order}. {step.title}{deadline} — {step.note} {step.where}")
    lines.append("材料（每样只需准备一份）：" if lang == "zh" else "Documents (prepare each once):")
    for item in checklist.materials:
        used = "、".join(catalogue.matter(m).name(lang) for m in item.needed_for) if lang == "zh" \
            else ", ".join(catalogue.matter(m).name(lang) for m in item.needed_for)
        form = FORM_WORDS[lang][item.form]
        copies = f" ×{item.copies}" if item.copies > 1 else ""
        cond = f"（{item.when}）" if item.when and lang == "zh" else (f" ({item.when})" if item.when else "")
        usage = f"  用于：{used}" if lang == "zh" else f"  for: {used}"
        lines.append(f"- {item.name}（{form}{copies}）{cond}{usage}" if lang == "zh"
                     else f"- {item.name} ({form}{copies}){cond}{usage}")
    return "\n".join(lines)
