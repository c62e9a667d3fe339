"""The conversation core: every channel's messages go through :meth:`ConversationCore.handle`.

Channels translate their platform's format into a :class:`Turn` and the :class:`TurnResult`
back; the core validates the turn, asks Rasa, works out language and topic, and tells the turn
listeners (the interaction log) what happened. Nothing here knows about HTTP or WeChat.
"""

from __future__ import annotations

import re
import time
from typing import Awaitable, Callable, List, Optional

from assistant import request_id
from assistant.core.identity import conversation_id
from assistant.core.rasa_backend import RasaBackend, TurnView
from assistant.core.topics import topic_for
from assistant.core.turns import Reply, Turn, TurnResult, fit_to_screen, replies_from_rasa
from assistant.errors import InputError, TurnUnavailableError, UnavailableError
from assistant.logs import log_event, pseudonym
from assistant.nlu.components import MODES
from assistant.nlu.language import SUPPORTED_LANGUAGES, choose_language

TurnListener = Callable[[Turn, TurnResult, float], Awaitable[None]]

FALLBACK_ACTIONS = {"utter_default", "action_default_fallback"}
HANDOFF_ACTIONS = {"action_handoff", "utter_handoff"}

#: What a person is told when the turn cannot be answered right now (Redis or the action server
#: down): never an empty answer or a bare error, always what to do instead.
UNAVAILABLE_REPLY = {
    "zh": "抱歉，系统暂时有点问题，请您稍后再试。着急的话可以拨打 12345 政务服务热线。",
    "en": "Sorry, the service is having a problem right now. Please try again in a few minutes, "
          "or call the 12345 government service hotline.",
}


#: What an id may not contain: control characters (NUL included) and lone UTF-16 surrogates,
#: which JSON accepts (``"\\ud800"``) but UTF-8 cannot encode, so hashing or storing them fails.
_BAD_ID_CHARS = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def id_problem(value: str) -> Optional[str]:
    """Why ``value`` cannot be a sender id, or ``None``."""
    if _BAD_ID_CHARS.search(value):
        return "must not contain control characters or unpaired surrogates"
    return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _plain(text: str) -> str:
    """The text with lone surrogates as U+FFFD (as the turn log stores them): they are valid in
    JSON but not UTF-8, and one in a message made the guide's text encoder fail the whole turn."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def validate_turn(turn: Turn, max_chars: int) -> None:
    """Reject what the core cannot take, with a message a caller can act on."""
    if not turn.sender or not turn.sender.strip():
        raise InputError("sender must not be empty")
    problem = id_problem(turn.sender)
    if problem:
        raise InputError(f"sender {problem}")
    if not turn.text or not turn.text.strip():
        raise InputError("message must not be empty")
    if len(turn.text) > max_chars:
        raise InputError(f"message is {len(turn.text)} characters; the limit is {max_chars}")
    if turn.lang is not None and turn.lang not in SUPPORTED_LANGUAGES:
        raise InputError(f"lang must be one of {', '.join(SUPPORTED_LANGUAGES)}")
    if turn.mode is not None and turn.mode not in MODES:
        raise InputError(f"mode must be one of {', '.join(MODES)}")


class ConversationCore:
    def __init__(self, backend: RasaBackend, salt: str, max_chars: int = 2000) -> None:
        self.backend = backend
        self.salt = salt
        self.max_chars = max_chars
        self.listeners: List[TurnListener] = []

    async def handle(self, turn: Turn) -> TurnResult:
        validate_turn(turn, self.max_chars)
        started = time.perf_counter()
        # the request id rides on the message, so the action server's log lines carry it too
        metadata = {"lang": turn.lang, "mode": turn.mode, "channel": turn.channel,
                    "request_id": request_id.current()}
        metadata = {k: v for k, v in metadata.items() if v}
        conversation = conversation_id(turn.channel, turn.sender)  # channels never share one
        try:
            messages, view = await self.backend.respond(conversation, _plain(turn.text.strip()), metadata, turn.channel)
        except UnavailableError as err:
            raise await self._unavailable(turn, err, time.perf_counter() - started) from err
        result = build_result(turn, messages, view)
        elapsed = time.perf_counter() - started
        log_event(
            "chat.turn", channel=turn.channel, sender=pseudonym(turn.sender, self.salt),
            lang=result.lang, mode=result.mode, intent=result.intent, topic=result.topic,
            confidence=None if result.confidence is None else round(result.confidence, 3),
            replies=len(result.replies), ms=round(elapsed * 1000, 1),
        )
        for listener in self.listeners:
            await listener(turn, result, elapsed)
        return result

    async def ready(self) -> Optional[str]:
        return await self.backend.ready()

    async def _unavailable(self, turn: Turn, err: UnavailableError, elapsed: float) -> TurnUnavailableError:
        """The polite answer for a turn a dependency kept us from answering. The turn still goes to
        the listeners (marked as not answered), so the interaction log loses nothing."""
        lang = choose_language(turn.lang, turn.text, None)
        result = TurnResult(sender=turn.sender, lang=lang, replies=[Reply(text=UNAVAILABLE_REPLY[lang])],
                            topic=None, intent=None, confidence=None, mode=turn.mode or "standard",
                            fallback=True)
        log_event("chat.turn.unavailable", channel=turn.channel, sender=pseudonym(turn.sender, self.salt),
                  lang=lang, error=type(err.__cause__ or err).__name__, ms=round(elapsed * 1000, 1))
        for listener in self.listeners:
            await listener(turn, result, elapsed)
        return TurnUnavailableError(str(err), result)


def build_result(turn: Turn, messages: list, view: TurnView) -> TurnResult:
    """Combine Rasa's output and the tracker's view of the turn into the API's answer."""
    slot_lang = view.slots.get("language")
    # What Rasa actually answered in; only a remote server without our component lacks it.
    lang = slot_lang if slot_lang in SUPPORTED_LANGUAGES else choose_language(turn.lang, turn.text, None)
    topic = topic_for(view.intent, view.slots.get("topic"), view.topic_set_this_turn)
    actions = set(view.actions)
    return TurnResult(
        sender=turn.sender,
        lang=lang,
        replies=fit_to_screen(replies_from_rasa(messages), lang),
        topic=topic,
        intent=view.intent,
        confidence=view.confidence,
        mode=view.slots.get("mode") or turn.mode or "standard",
        # unanswered: the guide asked back or said it cannot help (FAQ candidates for staff)
        fallback=bool(actions & FALLBACK_ACTIONS) or view.slots_set.get("unanswered") is True,
        handoff=topic == "human_handoff" or bool(actions & HANDOFF_ACTIONS),
        slots_set=dict(view.slots_set),
        entities=[e for e in view.entities if e.get("extractor") != "ConversationContext"],
        form=view.form,
    )
