"""What the WeChat channel does with a verified message: everything but HTTP.

Built once per gateway from the settings and the shared store. :meth:`WeChatService.answer` turns
one message into the texts to send back (already numbered and split to WeChat's size); the router
decides whether they go out as the passive reply or through the customer-service API.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set

from starlette.concurrency import run_in_threadpool
from wechatpy.messages import BaseMessage

from assistant.core.turns import Turn
from assistant.errors import CivicError, InputError
from assistant.logs import log_event, pseudonym
from assistant.nlu.language import choose_language
from assistant.settings import Settings
from assistant.state import KeyValueStore
from channels import wechat_texts, wechat_voice
from channels.wechat_api import CustomerService, SharedTokenClient
from channels.wechat_dedup import DeliveryLedger, message_key
from channels.wechat_envelope import Envelope
from channels.wechat_menu import HELP_KEY, question_for
from channels.wechat_notify import CaseNotifier
from channels.wechat_render import OptionMemory, render_replies, split_text


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
    options: OptionMemory
    salt: str
    budget: float
    client: Optional[SharedTokenClient]
    cs: Optional[CustomerService]
    notifier: CaseNotifier
    #: Turns this worker runs at once. Hundreds interleaved would all finish late, and each miss
    #: the budget; a few at a time finish in order. Waiting turns cost nothing; a turn still
    #: waiting at the budget is answered through the customer-service API instead.
    max_concurrent_turns: int = 8
    _background: Set["asyncio.Future[Any]"] = field(default_factory=set)
    _turns: Optional[asyncio.Semaphore] = None

    @classmethod
    def create(cls, settings: Settings, store: KeyValueStore) -> "WeChatService":
        envelope = Envelope.create(settings.wechat_token, settings.wechat_aes_key, settings.wechat_app_id)
        namespace = f"wechat:{settings.wechat_app_id or 'default'}"
        client = cs = None
        if settings.wechat_app_id and settings.wechat_app_secret:
            client = SharedTokenClient(settings.wechat_app_id, settings.wechat_app_secret,
                                       settings.wechat_api_base, store, namespace)
            cs = CustomerService(client, store, namespace)
        notifier = CaseNotifier(store, namespace, client, settings.wechat_case_template_id)
        return cls(envelope, DeliveryLedger(store, namespace), OptionMemory(store, namespace),
                   settings.id_salt, settings.wechat_reply_budget_seconds, client, cs, notifier)

    @property
    def mode(self) -> str:
        return self.envelope.mode

    # --- bookkeeping when a user writes (blocking: called in a thread) ------------------------------
    def admit(self, query: Dict[str, str], body: bytes) -> "Admission":
        """Verify, parse and claim one delivery, in one trip to a thread (they are all tiny; under
        load the trips, not the work, are what costs)."""
        message = self.envelope.open(query, body)
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
    async def answer(self, app_state: Any, message: BaseMessage, user: str) -> List[str]:
        """The texts to send back for one message (may be none), each within WeChat's limit."""
        text = await self._text_for_core(app_state, message, user)
        if text is None or not text.strip():
            return []
        if text.startswith("\0"):  # a channel text, not a question for the core
            return split_text(text[1:])
        notice = await run_in_threadpool(self.notifier.handle_command, app_state, message.source, user, text)
        if notice is not None:
            return split_text(notice)
        return await self._ask_core(app_state, text, user)

    async def _text_for_core(self, app_state: Any, message: BaseMessage, user: str) -> Optional[str]:
        """What to ask the core; a leading NUL marks a text the channel answers with directly."""
        kind = message.type
        if kind == "text":
            content = message.content or ""
            choice = await run_in_threadpool(self.options.choice_for, user, content)
            return choice or content
        if kind == "voice":
            return await self._voice_text(app_state, message, user)
        if kind == "event":
            event = getattr(message, "event", "")
            if event in ("subscribe", "subscribe_scan"):
                return "\0" + wechat_texts.WELCOME
            if event == "click":
                if message.key == HELP_KEY:
                    return "\0" + wechat_texts.HELP
                question = question_for(message.key)
                if question is None:
                    log_event("wechat.click.unknown", sender=user)
                    return "\0" + wechat_texts.TEXT_OR_VOICE
                log_event("wechat.click", sender=user, key=message.key)
                return question
            return None  # other events (scans, card and template receipts) need no answer
        if str(getattr(message, "_data", {}).get("MsgType", "")).lower() == "event":
            return None  # an event type wechatpy does not know
        log_event("wechat.message.unsupported", sender=user, kind=kind)
        return "\0" + wechat_texts.TEXT_OR_VOICE

    async def _voice_text(self, app_state: Any, message: BaseMessage, user: str) -> str:
        recognition = (message.recognition or "").strip()
        if recognition:
            log_event("wechat.voice", sender=user, source="recognition")
            return recognition
        voice = wechat_voice.recogniser(app_state)
        if voice is None or self.client is None:
            log_event("wechat.voice", sender=user, source="none", reason="no recogniser or no API")
            return "\0" + wechat_texts.PLEASE_TYPE
        try:
            response = await run_in_threadpool(self.client.media.download, message.media_id)
            audio = await run_in_threadpool(wechat_voice.decode_for_recogniser, response.content)
            text = await wechat_voice.transcribe(voice, audio, None)
        except Exception as err:  # download, decoding or recognition: any failure -> please type
            log_event("wechat.voice.failed", sender=user, error=type(err).__name__)
            return "\0" + wechat_texts.PLEASE_TYPE
        log_event("wechat.voice", sender=user, source="stt", chars=len(text))
        return text or "\0" + wechat_texts.PLEASE_TYPE

    async def _ask_core(self, app_state: Any, text: str, user: str) -> List[str]:
        core = getattr(app_state, "core", None)
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
            return
        try:
            await run_in_threadpool(self.cs.send, openid, user, texts)
        except CivicError as err:
            log_event("wechat.cs.failed", sender=user, error=type(err).__name__)

    def _track(self, task: "asyncio.Future[Any]") -> None:
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self, timeout: float = 20.0) -> None:
        """Let deliveries in flight finish before the process stops (bounded)."""
        if self._background:
            await asyncio.wait(set(self._background), timeout=timeout)
        self.notifier.close()
