"""Recognition error rates, as the tests and ``bench/voice.py`` measure them.

Both texts are first put in their spoken form (``for_speech``), so "3" and "three", "20元" and
"二十元" count as the same words: the question is whether the words came back, not how Whisper
chose to write a number. Chinese is scored by character (CER), English by word (WER).

English compounds are spelled three ways for the same sounds (inter-provincial,
interprovincial, inter provincial; health care, healthcare): when two adjacent words on one side
are written as one word on the other, they are counted as that one word on both sides.
Contractions are expanded on both sides (I'm = I am). Every wrong, missing or extra word still
counts.
"""

from __future__ import annotations

import re
from typing import List, Sequence, Tuple

from assistant.voice.text_for_speech import for_speech


#: "I'm" and "I am" are the same words said; Whisper writes either. ('s is left alone: it can
#: be "is", "has" or a possessive.)
_EN_CONTRACTIONS = (
    (r"\bcan't\b", "can not"), (r"\bcannot\b", "can not"), (r"\bwon't\b", "will not"),
    (r"n't\b", " not"), (r"'m\b", " am"), (r"'re\b", " are"), (r"'ve\b", " have"),
    (r"'ll\b", " will"), (r"'d\b", " would"),
)


def edit_distance(a: Sequence, b: Sequence) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def units(text: str, lang: str) -> list:
    spoken = for_speech(text, lang)
    if lang == "zh":
        return re.findall(r"[\u4e00-\u9fff]|[a-z]+", spoken.lower())
    text = spoken.lower().replace("-", " ").replace("\u2019", "'")
    for pattern, full in _EN_CONTRACTIONS:
        text = re.sub(pattern, full, text)
    return re.findall(r"[a-z']+", text)


def _join_compounds(words: List[str], other: List[str]) -> List[str]:
    """``words`` with each adjacent pair merged where ``other`` writes the pair as one word."""
    joined = set(other)
    out: List[str] = []
    index = 0
    while index < len(words):
        if index + 1 < len(words) and words[index] + words[index + 1] in joined:
            out.append(words[index] + words[index + 1])
            index += 2
        else:
            out.append(words[index])
            index += 1
    return out


def compared_units(reference: str, hypothesis: str, lang: str) -> Tuple[list, list]:
    """Both texts as the units that are compared (compounds aligned for English)."""
    ref, hyp = units(reference, lang), units(hypothesis, lang)
    if lang == "en":
        ref = _join_compounds(ref, hyp)
        hyp = _join_compounds(hyp, ref)
    return ref, hyp


def error_rate(reference: str, hypothesis: str, lang: str) -> float:
    """CER (zh) or WER (en) of ``hypothesis`` against ``reference``."""
    ref, hyp = compared_units(reference, hypothesis, lang)
    return edit_distance(ref, hyp) / max(1, len(ref))
