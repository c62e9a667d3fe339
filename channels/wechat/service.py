"""What the WeChat channel does with a verified message: everything but HTTP.

Built once per gateway in the app's lifespan, from the settings, the shared store and its
collaborators (the conversation core, the speech recogniser, the database sessions for the case
check), which are passed in, never fished out of the app's state. :meth:`WeChatService.answer`
turns one message into the texts to send back (already numbered and split to WeChat's size); the
router decides whether they go out as the passive reply or through the customer-service API.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Protocol, Set, Union

from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool
from wechatpy.messages import BaseMessage

from assistant.core.conversation import ConversationCore
from assistant.core.turns import Turn
from assistant.errors import CivicError, InputError
from assistant.logs import log_event, pseudonym
from assistant.nlu.language import choose_language
from assistant.settings import Settings
from assistant.state import KeyValueStore
from channels.wechat import texts as wechat_texts
from channels.wechat import voice as wechat_voice
from channels.wechat.api import CustomerService, SharedTokenClient
from channels.wechat.dedup import DeliveryLedger, ReplayGuard, message_key
from channels.wechat.envelope import MAX_CLOCK_SKEW_SECONDS, Envelope, SignatureError
from channels.wechat.menu import HELP_KEY, question_for
from channels.wechat.notify import CaseNotifier
from channels.wechat.render import OptionMemory, render_replies, split_text

if TYPE_CHECKING:
    from assistant.metrics import Metrics


class Recogniser(Protocol):
    """The project's speech recogniser (``assistant.voice.service.VoiceService``): any audio
    bytes in, an object with ``text`` out."""

    def transcribe(self, data: bytes, lang: Optional[str] = None) -> Any: ...


@dataclass(frozen=True)
class Ask:
    """Text for the core (typed, spoken, a numbered choice or a menu click)."""

    text: str


@dataclass(frozen=True)
class Say:
    """Text the channel answers with by itself (welcome, help, "please type")."""

    text: str


Incoming = Union[Ask, Say, None]  # None: nothing to answer (most events)


@dataclass
class Admission:
    message: BaseMessage
    user: str  # pseudonym of the OpenID
    key: str  # de-duplication key
    claimed: bool
    kept: List[str] = field(default_factory=list)  # kept for this user from an earlier answer


@dataclass
class WeChatService:
    envelope: Envelope
    ledger: DeliveryLedger
    replay: ReplayGuard
    options: OptionMemory
    salt: str
    budget: float
    client: Optional[SharedTokenClient]
    cs: Optional[CustomerService]
    notifier: CaseNotifier
    core: Optional[ConversationCore]  # None while the model could not be loaded
    recogniser: Optional[Recogniser]  # None without the voice feature
    #: Turns this worker runs at once. Hundreds interleaved would all finish late, and each miss
    #: the budget; a few at a time finish in order. Waiting turns cost nothing; a turn still
    #: waiting at the budget is answered through the customer-service API instead.
    max_concurrent_turns: int = 8
    metrics: Optional["Metrics"] = None  # replies past the budget, customer-service messages
    _background: Set["asyncio.Future[Any]"] = field(default_factory=set)
    _turns: Optional[asyncio.Semaphore] = None

    @classmethod
    def create(cls, settings: Settings, store: KeyValueStore, *, core: Optional[ConversationCore],
               recogniser: Optional[Recogniser], sessions: sessionmaker,
               metrics: Optional["Metrics"] = None) -> "WeChatService":
        envelope = Envelope.create(settings.wechat_token, settings.wechat_aes_key, settings.wechat_app_id)
        namespace = f"wechat:{settings.wechat_app_id or 'default'}"
        client = cs = None
        if settings.wechat_app_id and settings.wechat_app_secret:
            client = SharedTokenClient(settings.wechat_app_id, settings.wechat_app_secret,
                                       settings.wechat_api_base, store, namespace)
            cs = CustomerService(client, store, namespace)
        notifier = CaseNotifier(store, namespace, client, settings.wechat_case_template_id,
                                sessions=sessions, salt=settings.id_salt)
        replay = ReplayGuard(store, namespace, ttl=2 * MAX_CLOCK_SKEW_SECONDS + 60)
        return cls(envelope, DeliveryLedger(store, namespace), replay, OptionMemory(store, namespace),
                   settings.id_salt, settings.wechat_reply_budget_seconds, client, cs, notifier,
                   core, recogniser, metrics=metrics)

    @property
    def mode(self) -> str:
        return self.envelope.mode

    # --- bookkeeping when a user writes (blocking: called in a thread) ------------------------------
    def admit(self, query: Dict[str, str], body: bytes) -> "Admission":
        """Verify, parse and claim one delivery, in one trip to a thread (they are all tiny; under
        load the trips, not the work, are what costs)."""
        message = self.envelope.open(query, body)
        if not self.replay.first_use(query.get("timestamp", ""), query.get("nonce", ""), body):
            raise SignatureError("signature replayed with another message")
        user = pseudonym(message.source, self.salt)
        event = f"{getattr(message, 'event', '')}:{getattr(message, 'key', '') or ''}"
        key = message_key(message.id, user, message.time, event)
        if not self.ledger.claim(key):
            return Admission(message, user, key, claimed=False)
        try:
            kept = self.user_wrote(message, user)
        except CivicError:
            self.ledger.release(key)  # WeChat's retry can claim it again
            raise
        return Admission(message, user, key, claimed=True, kept=kept)

    def user_wrote(self, message: BaseMessage, user: str) -> List[str]:
        """Open the customer-service window again; returns what was kept for this user."""
        if message.type == "event" and getattr(message, "event", "") == "unsubscribe":
            self.options.forget(user)
            if self.cs is not None:
                self.cs.forget(user)
            self.notifier.withdraw_all(user)
            log_event("wechat.unsubscribed", sender=user)
            return []
        return self.cs.user_wrote(user) if self.cs is not None else []

    # --- the answer ----------------------------------------------------------------------------------
    async def answer(self, message: BaseMessage, user: str) -> List[str]:
        """The texts to send back for one message (may be none), each within WeChat's limit."""
        incoming = await self._incoming(message, user)
        if isinstance(incoming, Say):
            return split_text(incoming.text)
        if incoming is None or not incoming.text.strip():
            return []
        notice = await run_in_threadpool(self.notifier.handle_command, message.source, user, incoming.text)
        if notice is not None:
            return split_text(notice)
        return await self._ask_core(incoming.text, user)

    async def _incoming(self, message: BaseMessage, user: str) -> Incoming:
        """What the message asks: text for the core, a text of the channel's own, or nothing."""
        kind = message.type
        if kind == "text":
            content = message.content or ""
            choice = await run_in_threadpool(self.options.choice_for, user, content)
            return Ask(choice or content)
        if kind == "voice":
            return await self._voice_text(message, user)
        if kind == "event":
            event = getattr(message, "event", "")
            if event in ("subscribe", "subscribe_scan"):
                return Say(wechat_texts.WELCOME)
            if event == "click":
                if message.key == HELP_KEY:
                    return Say(wechat_texts.HELP)
                question = question_for(message.key)
                if question is None:
                    log_event("wechat.click.unknown", sender=user)
                    return Say(wechat_texts.TEXT_OR_VOICE)
                log_event("wechat.click", sender=user, key=message.key)
                return Ask(question)
            return None  # other events (scans, card and template receipts) need no answer
        if str(getattr(message, "_data", {}).get("MsgType", "")).lower() == "event":
            return None  # an event type wechatpy does not know
        log_event("wechat.message.unsupported", sender=user, kind=kind)
        return Say(wechat_texts.TEXT_OR_VOICE)

    async def _voice_text(self, message: BaseMessage, user: str) -> Incoming:
        recognition = (message.recognition or "").strip()
        if recognition:
            log_event("wechat.voice", sender=user, source="recognition")
            return Ask(recognition)
        if self.recogniser is None or self.client is None:
            log_event("wechat.voice", sender=user, source="none", reason="no recogniser or no API")
            return Say(wechat_texts.PLEASE_TYPE)
        try:
            audio = await run_in_threadpool(wechat_voice.download, self.client, message.media_id)
            heard = await run_in_threadpool(self.recogniser.transcribe, audio, None)
            text = str(getattr(heard, "text", heard) or "").strip()
        except Exception as err:  # download, decoding or recognition: any failure -> please type
            log_event("wechat.voice.failed", sender=user, error=type(err).__name__)
            return Say(wechat_texts.PLEASE_TYPE)
        log_event("wechat.voice", sender=user, source="stt", chars=len(text))
        return Ask(text) if text else Say(wechat_texts.PLEASE_TYPE)

    async def _ask_core(self, text: str, user: str) -> List[str]:
        core = self.core
        if core is None:
            return [wechat_texts.UNAVAILABLE]
        if len(text) > core.max_chars:
            lang = choose_language(None, text, None)
            log_event("wechat.message.too_long", sender=user, chars=len(text))
            return split_text(wechat_texts.too_long(len(text), core.max_chars, lang))
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.max_concurrent_turns)
        try:
            async with self._turns:
                result = await core.handle(Turn(sender=user, text=text, channel="wechat"))
        except InputError as err:
            log_event("wechat.turn.rejected", sender=user, reason=str(err)[:80])
            return [wechat_texts.TEXT_OR_VOICE]
        except CivicError as err:
            log_event("wechat.turn.failed", sender=user, error=type(err).__name__)
            return [wechat_texts.UNAVAILABLE]
        rendered, buttons = render_replies(result.replies, result.lang)
        await run_in_threadpool(self.options.remember, user, buttons)
        return split_text(rendered)

    def counted(self, way: str) -> None:
        """Count one delivery by how it was answered (``passive``, ``deferred``…)."""
        if self.metrics is not None:
            self.metrics.wechat_reply(way)

    def _count_messages(self, result: str, count: int) -> None:
        if self.metrics is not None:
            self.metrics.wechat_messages(result, count)

    # --- sending later ---------------------------------------------------------------------------------
    def deliver_later(self, work: "asyncio.Future[List[str]]", openid: str, user: str,
                      kept: List[str]) -> None:
        """The answer missed the passive-reply budget: send it through customer service when done."""
        async def deliver() -> None:
            try:
                texts = await work
            except Exception as err:
                log_event("wechat.answer.failed", sender=user, error=type(err).__name__)
                texts = [wechat_texts.UNAVAILABLE]
            await self._send(openid, user, kept + texts)

        self._track(asyncio.ensure_future(deliver()))

    def send_later(self, openid: str, user: str, texts: List[str]) -> None:
        self._track(asyncio.ensure_future(self._send(openid, user, texts)))

    async def _send(self, openid: str, user: str, texts: List[str]) -> None:
        if not texts:
            return
        if self.cs is None:
            log_event("wechat.cs.unconfigured", sender=user, dropped=len(texts))
            self._count_messages("unconfigured", len(texts))
            return
        try:
            report = await run_in_threadpool(self.cs.send, openid, user, texts)
        except CivicError as err:
            log_event("wechat.cs.failed", sender=user, error=type(err).__name__)
            self._count_messages("failed", len(texts))
            return
        self._count_messages("sent", report.sent)
        self._count_messages("kept", report.kept)

    def _track(self, task: "asyncio.Future[Any]") -> None:
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self, timeout: float = 30.0) -> None:
        """Let deliveries in flight finish before the process stops (bounded: as long as a turn
        may take). One still running then is lost, so it is counted in the log, never silently."""
        if self._background:
            _, pending = await asyncio.wait(set(self._background), timeout=timeout)
            if pending:
                log_event("wechat.drain.abandoned", level=logging.WARNING, deliveries=len(pending),
                          waited_seconds=timeout)
        self.notifier.close()
