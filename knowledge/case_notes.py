"""A department's note on a case, as an English-speaking applicant can read it (pure).

Departments write their notes in Chinese, and most are one of a few standard reasons ("照片不符合
要求", "请补交户口簿复印件", "材料齐全，正在审核"). Each clause of a note is matched against the
standard phrasings below; when every clause is one of them, the English reader gets the note in
English. Anything else is shown as written and labelled, never guessed at: a wrong translation of
what is missing would send a person to the hall with the wrong paper.
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

#: what needs to be handed in, by the words a department uses for it
_DOCUMENTS: Tuple[Tuple[str, str], ...] = (
    (r"近期白底免冠(?:二代)?证件照(?:片)?(?:一张|1张)?|白底免冠照片(?:一张|1张)?",
     "one recent bareheaded ID photo on a white background"),
    (r"(?:一寸|两寸|2寸|二寸)?证件照(?:片)?(?:一张|1张)?", "an ID photo"),
    (r"户口(?:簿|本)(?:原件)?(?:复印件)?", "the hukou booklet"),
    (r"身份证(?:原件)?(?:复印件)?", "the ID card"),
    (r"结婚证(?:原件)?(?:复印件)?", "the marriage certificate"),
    (r"出生医学证明(?:原件)?", "the birth medical certificate"),
    (r"(?:房产证|不动产权证书?)(?:原件)?(?:复印件)?", "the property title certificate"),
    (r"租房合同(?:原件)?(?:复印件)?", "the tenancy contract"),
    (r"劳动合同(?:原件)?(?:复印件)?|在职证明", "proof of employment"),
    (r"居住(?:登记|证明)(?:材料)?", "proof of address"),
    (r"授权委托书|委托书", "a signed letter of authorisation"),
    (r"体检(?:证明|表)", "the health check form"),
    (r"申请表(?:签字)?", "the signed application form"),
)
#: whole clauses; ``{doc}`` is one of the documents above
_CLAUSES: Tuple[Tuple[str, str], ...] = (
    (r"照片不符合要求", "The photo does not meet the requirements"),
    (r"(?:请|需)?补交{doc}", "please hand in {doc}"),
    (r"(?:请|需)?(?:提供|补充){doc}", "please provide {doc}"),
    (r"{doc}(?:不清晰|模糊)", "{doc} is not legible"),
    (r"{doc}已过期", "{doc} has expired"),
    (r"缺少?{doc}", "{doc} is missing"),
    (r"材料(?:已)?齐全", "All documents are complete"),
    (r"(?:正在|进入)审核(?:中)?|审核中", "it is being reviewed"),
    (r"已受理", "The application has been received"),
    (r"新?(.{1,6}?)已制作完成", "the new document is ready"),
    (r"已(?:经)?办结", "It has been approved"),
    (r"请(?:携带|带上)?受理回执(?:到窗口)?领取", "please collect it with your receipt"),
    (r"(?:请)?(?:本人)?到窗口领取", "please collect it at the window"),
    (r"已(?:通过)?(?:EMS)?邮寄", "it has been posted"),
)
_SPLIT = re.compile(r"[，,。；;！!]+")


def _english_clause(clause: str) -> Optional[str]:
    for pattern, english in _CLAUSES:
        if "{doc}" not in pattern:
            if re.fullmatch(pattern, clause):
                return english
            continue
        for doc, doc_en in _DOCUMENTS:
            if re.fullmatch(pattern.replace("{doc}", f"(?:{doc})"), clause):
                return english.replace("{doc}", doc_en)
    return None


def in_english(note: str) -> Optional[str]:
    """The note in English when every clause of it is a standard one, else ``None``."""
    clauses = [c.strip() for c in _SPLIT.split(note) if c.strip()]
    parts: List[str] = []
    for clause in clauses:
        english = _english_clause(clause)
        if english is None:
            return None
        parts.append(english)
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def for_reader(note: str, lang: str) -> str:
    """The note as the applicant reads it: as written in Chinese; in English where it is a
    standard one, else as written with a label saying so."""
    if lang != "en" or not note:
        return note
    english = in_english(note)
    return english if english is not None else f"{note} (as the department wrote it, in Chinese)"
