"""Conversation scripts: how people really talk to us, turn by turn, with what a good
service-hall guide would answer (topic, the fact asked for, the language, no form started).

Pure: loading the YAML files beside this module and checking one reply body. The pytest suite
(``test_dialogues.py``) and ``bench/dialogue_eval.py`` both run them through the real chat API.

A script file holds a list of conversations::

    - name: passport, follow-ups            # unique
      lang: zh                               # zh | en (the language of every reply)
      mode: standard                         # standard | elderly (sent as the channel's mode)
      turns:
        - say: 我想办护照
          kind: first                        # see KINDS
          topic: passport                    # or a list of acceptable topics
          has: [护照, [身份证, 居民身份证]]  # every item must appear; a list item = any of
          not_has: [which service]           # none may appear
          form: null                         # the form that must be active afterwards (default null)
          clarify: false                     # true when asking back is the right answer
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Union

import yaml

HERE = Path(__file__).resolve().parent
KINDS = ("first", "follow_up", "yes_no", "form", "form_digression", "form_leave", "out_of_scope",
         "for_whom", "repeat", "simplify", "switch_language", "sensitive", "clarify", "other")
#: what asking back "which matter?" looks like: wrong after an answer, unless the script allows it
WHICH_MATTER = ("请问是办哪件事", "请问您问的是哪件事", "您是想办下面哪一件", "which service is",
                "did you mean one of these", "which of these is your question")
#: the bubble sizes a phone screen takes in standard mode (issue 14, point 9)
MAX_ZH_CHARS, MAX_EN_WORDS = 300, 60
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")

Expect = Union[str, Sequence[str]]


@dataclass(frozen=True)
class Turn:
    say: str
    kind: str = "other"
    topic: Optional[Sequence[str]] = None
    has: Sequence[Expect] = ()
    not_has: Sequence[str] = ()
    form: Optional[str] = None
    clarify: bool = False
    lang: Optional[str] = None  # when this turn's reply must be in another language


@dataclass(frozen=True)
class Conversation:
    name: str
    lang: str
    mode: str
    turns: Sequence[Turn]
    source: str = ""


@dataclass
class TurnOutcome:
    conversation: str
    index: int
    turn: Turn
    lang: str
    mode: str
    problems: List[str] = field(default_factory=list)
    reply: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _turn(raw: Dict[str, Any]) -> Turn:
    topic = raw.get("topic")
    if isinstance(topic, str):
        topic = [topic]
    kind = raw.get("kind", "other")
    if kind not in KINDS:
        raise ValueError(f"unknown turn kind {kind!r}; expected one of {', '.join(KINDS)}")
    return Turn(say=str(raw["say"]), kind=kind, topic=topic, has=list(raw.get("has") or ()),
                not_has=list(raw.get("not_has") or ()), form=raw.get("form"),
                clarify=bool(raw.get("clarify", False)), lang=raw.get("lang"))


def load(directory: Path = HERE) -> List[Conversation]:
    conversations: List[Conversation] = []
    seen = set()
    for path in sorted(directory.glob("*.yml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            name = raw["name"]
            if name in seen:
                raise ValueError(f"{path.name}: conversation name {name!r} used twice")
            seen.add(name)
            conversations.append(Conversation(
                name=name, lang=raw["lang"], mode=raw.get("mode", "standard"),
                turns=[_turn(t) for t in raw["turns"]], source=path.name))
    return conversations


def reply_text(body: Dict[str, Any]) -> str:
    return "\n".join(r.get("text") or "" for r in body.get("replies") or [])


def reply_language(text: str) -> str:
    """zh when the reply is written in Chinese, en when in English (names in the other script
    inside a reply, like "A10" or "12345", do not count)."""
    return "zh" if len(_CJK.findall(text)) >= max(2, len(_LATIN_WORD.findall(text))) else "en"


def missing(text: str, has: Sequence[Expect]) -> List[List[str]]:
    """The expectations (each a list of alternatives) that ``text`` meets none of."""
    low = _plain_numbers(_norm(text))
    wanted = [[item] if isinstance(item, str) else list(item) for item in has]
    return [options for options in wanted if not any(_plain_numbers(_norm(str(o))) in low for o in options)]


def _plain_numbers(text: str) -> str:
    """"3,000 yuan" and "3000 yuan" state the same amount, in a reply or in an expectation."""
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)


def check(conversation: Conversation, index: int, body: Dict[str, Any]) -> TurnOutcome:
    """Everything a good guide's answer to this turn must satisfy."""
    turn = conversation.turns[index]
    text = reply_text(body)
    outcome = TurnOutcome(conversation.name, index, turn, conversation.lang, conversation.mode, reply=text)
    problems = outcome.problems
    replies = body.get("replies") or []
    if not replies:
        problems.append("no reply")
    if any(not (r.get("text") or "").strip() for r in replies):
        problems.append("a reply bubble without text")
    lang = turn.lang or conversation.lang
    if text.strip() and reply_language(text) != lang:
        problems.append(f"reply not in {lang}")
    if turn.topic and body.get("topic") not in turn.topic:
        problems.append(f"topic {body.get('topic')!r}, expected {'/'.join(turn.topic)}")
    low = _norm(text)
    problems.extend(f"missing {'|'.join(map(str, options))!r}" for options in missing(text, turn.has))
    for item in turn.not_has:
        if _norm(item) in low:
            problems.append(f"says {item!r}")
    if not turn.clarify and any(cue in low for cue in WHICH_MATTER):
        problems.append("asked which matter")
    if body.get("form") != turn.form:
        problems.append(f"form {body.get('form')!r}, expected {turn.form!r}")
    if conversation.mode == "standard":
        for r in replies:
            t = r.get("text") or ""
            if len(_CJK.findall(t)) > MAX_ZH_CHARS or (lang == "en" and len(t.split()) > MAX_EN_WORDS):
                problems.append("a bubble too long for a phone screen")
                break
    return outcome


def iter_turns(conversations: Sequence[Conversation]) -> Iterator[tuple]:
    for conversation in conversations:
        for index, turn in enumerate(conversation.turns):
            yield conversation, index, turn


Post = Any  # Callable[[Dict[str, Any]], Dict[str, Any]]: one chat API call, the body back


def run_conversation(post: Post, conversation: Conversation, sender: str) -> List[TurnOutcome]:
    outcomes = []
    for index, turn in enumerate(conversation.turns):
        payload: Dict[str, Any] = {"sender": sender, "message": turn.say}
        if conversation.mode != "standard":
            payload["mode"] = conversation.mode
        outcomes.append(check(conversation, index, post(payload)))
    return outcomes


@dataclass
class Summary:
    turns: int
    turns_ok: int
    conversations: int
    conversations_ok: int
    by_group: Dict[str, List[int]]  # "lang=zh" -> [ok, total]

    @property
    def turn_rate(self) -> float:
        return self.turns_ok / self.turns if self.turns else 0.0

    @property
    def conversation_rate(self) -> float:
        return self.conversations_ok / self.conversations if self.conversations else 0.0


def summarise(outcomes: Sequence[TurnOutcome]) -> Summary:
    by_group: Dict[str, List[int]] = {}
    by_conversation: Dict[str, bool] = {}
    for o in outcomes:
        for group in (f"lang={o.lang}", f"mode={o.mode}", f"kind={o.turn.kind}"):
            cell = by_group.setdefault(group, [0, 0])
            cell[0] += o.ok
            cell[1] += 1
        by_conversation[o.conversation] = by_conversation.get(o.conversation, True) and o.ok
    return Summary(len(outcomes), sum(o.ok for o in outcomes), len(by_conversation),
                   sum(by_conversation.values()), dict(sorted(by_group.items())))


def report(summary: Summary, outcomes: Sequence[TurnOutcome], show_failures: int = 40) -> str:
    lines = [f"turns fully right: {summary.turns_ok}/{summary.turns} = {summary.turn_rate:.1%}",
             f"conversations fully right: {summary.conversations_ok}/{summary.conversations}"
             f" = {summary.conversation_rate:.1%}"]
    for group, (ok, total) in summary.by_group.items():
        lines.append(f"  {group:<24} {ok:>4}/{total:<4} {ok / total:.1%}")
    failures = [o for o in outcomes if not o.ok]
    for o in failures[:show_failures]:
        lines.append(f"FAIL {o.conversation} #{o.index + 1} [{o.turn.kind}] {o.turn.say!r}: "
                     f"{'; '.join(o.problems)} :: {o.reply[:160]!r}")
    return "\n".join(lines)
