"""Turn the core's replies into what WeChat can show: plain text, at most 2,048 bytes a message.

WeChat text has no buttons, so options become numbered lines ("回复 1 ..." / "Reply 1 for ...")
and the user answers with the bare number; :func:`choice_for` turns that number back into the
option's payload. The options are remembered per user in the shared store (any worker may get
the answer). Everything here except :class:`OptionMemory` is pure.
"""

from __future__ import annotations

import json
import re
from typing import List, Optional, Sequence

from assistant.core.turns import Button, Reply
from assistant.state import KeyValueStore

#: WeChat rejects text messages (passive or customer-service) longer than this many bytes.
MAX_TEXT_BYTES = 2048
#: How long a numbered choice stays answerable.
OPTIONS_TTL_SECONDS = 24 * 3600

#: A sentence: anything up to and including its closing punctuation (and the spaces after it).
_SENTENCE = re.compile(r".*?(?:[。！？；!?;\n]+\s*|\.(?:\s+|$)|$)", re.S)
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def option_line(number: int, title: str, lang: str) -> str:
    """One numbered option, worded the way each language says it."""
    if lang == "en":
        return f"Reply {number} for {title}"
    return f"回复 {number}：{title}"


def render_reply(reply: Reply, lang: str, first_number: int = 1) -> str:
    """A reply's text with its buttons as numbered lines, numbering from ``first_number``."""
    lines = [reply.text.strip()] if reply.text.strip() else []
    lines += [option_line(first_number + i, b.title, lang) for i, b in enumerate(reply.buttons)]
    return "\n".join(lines)


def render_replies(replies: Sequence[Reply], lang: str) -> tuple[str, List[Button]]:
    """All replies of a turn as one text, and the buttons in the order they were numbered.

    Numbers run on across replies so "1" always means exactly one option.
    """
    parts: List[str] = []
    buttons: List[Button] = []
    for reply in replies:
        text = render_reply(reply, lang, first_number=len(buttons) + 1)
        buttons.extend(reply.buttons)
        if text:
            parts.append(text)
    return "\n\n".join(parts), buttons


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _hard_split(text: str, limit: int) -> List[str]:
    """Split one over-long sentence by characters (never inside a UTF-8 sequence)."""
    pieces: List[str] = []
    current = ""
    for char in text:
        if _utf8_len(current + char) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> List[str]:
    """Split ``text`` into messages of at most ``limit`` UTF-8 bytes, at sentence boundaries.

    A sentence longer than the limit on its own is cut by characters, the only option left.
    Empty input gives no messages.
    """
    text = text.strip()
    if not text:
        return []
    if _utf8_len(text) <= limit:
        return [text]
    sentences = [s for s in _SENTENCE.findall(text) if s]
    chunks: List[str] = []
    current = ""
    for sentence in sentences:
        if _utf8_len(current + sentence) <= limit:
            current += sentence
            continue
        if current.strip():
            chunks.append(current.strip())
        if _utf8_len(sentence) > limit:
            *full, current = _hard_split(sentence, limit)
            chunks.extend(p.strip() for p in full if p.strip())
        else:
            current = sentence
    if current.strip():
        chunks.append(current.strip())
    return chunks


def parse_choice(text: str) -> Optional[int]:
    """The number in a reply that is only a number ("1", " ２ ", "3。"), else ``None``."""
    cleaned = text.strip().translate(_FULL_WIDTH_DIGITS).rstrip("。.、")
    if cleaned.isdigit() and len(cleaned) <= 3:
        return int(cleaned)
    return None


class OptionMemory:
    """The numbered options last shown to each user, kept in the shared store with expiry."""

    def __init__(self, store: KeyValueStore, namespace: str) -> None:
        self._store = store
        self._namespace = namespace

    def _key(self, user: str) -> str:
        return f"{self._namespace}:options:{user}"

    def remember(self, user: str, buttons: Sequence[Button]) -> None:
        """Keep this turn's options; a turn without options forgets the previous ones."""
        if buttons:
            payloads = [b.payload or b.title for b in buttons]
            self._store.set(self._key(user), json.dumps(payloads, ensure_ascii=False),
                            ttl=OPTIONS_TTL_SECONDS)
        else:
            self._store.delete(self._key(user))

    def choice_for(self, user: str, text: str) -> Optional[str]:
        """The payload a bare number picks, or ``None`` when the text is not such a choice."""
        number = parse_choice(text)
        if number is None:
            return None
        raw = self._store.get(self._key(user))
        if not raw:
            return None
        payloads = json.loads(raw)
        if 1 <= number <= len(payloads):
            return str(payloads[number - 1])
        return None

    def forget(self, user: str) -> None:
        self._store.delete(self._key(user))
