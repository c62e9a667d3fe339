"""How often the answer ranker picks the right fact, with the right subject given (issue 14).

The dialogue scripts' follow-ups that stay on a matter are ranked within that matter, offline (no
Rasa, no server), and the top answer is checked against the turn's ``has`` expectations. This
isolates "the right subject, the wrong fact" from everything else a live turn goes through, so a
ranking change can be measured in seconds instead of a full dialogue evaluation.

    .venv/bin/python bench/answer_rank.py [--show 20]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.answers import matter_answer  # noqa: E402
from knowledge.catalogue import get_catalogue  # noqa: E402
from knowledge.semantic import Candidate, get_matcher, get_ranker  # noqa: E402
from knowledge.cues import aspect as said_aspect  # noqa: E402
from tests.dialogues import script  # noqa: E402

KINDS = ("follow_up", "yes_no", "for_whom")


def _passes(text: str, has) -> bool:
    return not script.missing(text, has)


def _text(c: Candidate, lang: str) -> str:
    catalogue = get_catalogue()
    if c.qa is not None:
        return c.qa.a(lang)
    return matter_answer(catalogue.matters[c.matter], catalogue, c.aspect, lang).text


def cases(directory: Path = script.HERE) -> List[Tuple[str, str, str, object]]:
    """(conversation, lang, text, turn) of every follow-up that stays on the previous turn's matter."""
    matters = get_catalogue().matters
    out = []
    for conv in script.load(directory):
        prev = None
        for turn in conv.turns:
            topic = turn.topic[0] if turn.topic and len(turn.topic) == 1 else None
            if turn.kind in KINDS and topic in matters and topic == prev and turn.has:
                out.append((conv.name, conv.lang, turn.say, turn))
            prev = topic
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=0, help="print this many misses")
    ap.add_argument("--dir", type=Path, default=script.HERE, help="the scripts (default: tests/dialogues)")
    args = ap.parse_args()
    ranker, matcher = get_ranker(), get_matcher()
    top1 = top3 = 0
    misses = []
    todo = cases(args.dir)
    for name, lang, text, turn in todo:
        ranked = ranker.rank(text, [turn.topic[0]], lang, said_aspect(text), matcher)
        texts = [_text(c, lang) for c in ranked[:3]]
        if _passes(texts[0], turn.has):
            top1 += 1
        else:
            misses.append((name, text, ranked[:3], [_passes(t, turn.has) for t in texts]))
        if any(_passes(t, turn.has) for t in texts):
            top3 += 1
    n = len(todo)
    print(f"follow-ups ranked within their matter: {n}")
    print(f"top answer has the fact: {top1}/{n} = {top1 / n:.1%}; one of the top 3: {top3}/{n} = {top3 / n:.1%}")
    for name, text, ranked, ok in misses[:args.show]:
        tops = ", ".join(f"{c.aspect or c.qa.q.zh[:14]}{'*' if o else ''} {c.score:.3f}" for c, o in zip(ranked, ok))
        print(f"  {name} | {text} | {tops}")


if __name__ == "__main__":
    main()
