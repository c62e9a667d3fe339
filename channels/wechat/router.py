"""WeChat official account channel: ``GET``/``POST /channels/wechat``.

The shape of one delivery:

1. The envelope is verified (constant-time signature, fresh timestamp; 403 otherwise), decrypted
   in safe mode, and parsed (400 when it is not a WeChat message).
2. The de-duplication ledger lets exactly one delivery of a message process it, on any worker.
   Retries wait briefly and give the same passive reply, or ``success``.
3. The message becomes text for the core (text, a numbered choice, voice, a menu click), or the
   channel answers by itself (welcome, "text or voice, please").
4. If the answer is ready within the budget (4 s; WeChat gives up at 5 s) it is the passive reply;
   otherwise we answer ``success`` now and send it through the customer-service API when done.
   Parts beyond the first 2,048-byte message always go that way.

The OpenID is used only to address WeChat; the conversation, the store keys and the logs see
``pseudonym(openid, CIVIC_ID_SALT)`` (and the conversation is in the ``wechat:`` namespace, which
no other channel can address). The service is built in the app's lifespan (:func:`start_wechat`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Dict, List, Optional

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool
from wechatpy.messages import BaseMessage

from assistant.errors import CivicError, ConfigError, UnavailableError
from assistant.logs import log_event
from channels.wechat import texts as wechat_texts
from channels.wechat.dedup import reply_of
from channels.wechat.envelope import MalformedMessage, SignatureError
from channels.wechat.service import Admission, WeChatService

SUCCESS = "success"  # WeChat's "received, no passive reply"


router = APIRouter(tags=["channels"])


def _service(request: Request) -> WeChatService:
    service = getattr(request.app.state, "wechat", None)
    if service is None:
        raise ConfigError("the WeChat channel is not configured (set CIVIC_WECHAT_TOKEN)")
    return service


def _reject(request: Request, err: CivicError) -> Response:
    if isinstance(err, SignatureError):
        log_event("wechat.signature.invalid", method=request.method, reason=str(err))
        return PlainTextResponse("invalid signature", status_code=403)
    if isinstance(err, ConfigError):
        return PlainTextResponse(str(err), status_code=503)
    log_event("wechat.message.malformed", reason=str(err)[:120])
    return PlainTextResponse(f"bad request: {err}", status_code=400)


@router.get("/channels/wechat", response_class=PlainTextResponse)
def verify_server(request: Request) -> Response:
    """WeChat's server verification: echo ``echostr`` when the signature is ours."""
    try:
        echostr = _service(request).envelope.verify_get(request.query_params)
    except (SignatureError, MalformedMessage, ConfigError) as err:
        return _reject(request, err)
    log_event("wechat.verified")
    return PlainTextResponse(echostr)


@router.post("/channels/wechat")
async def receive(request: Request) -> Response:
    started = time.monotonic()
    try:
        service = _service(request)
        body = await request.body()
        query = dict(request.query_params)
        admission = await run_in_threadpool(service.admit, query, body)
    except (SignatureError, MalformedMessage, ConfigError) as err:
        return _reject(request, err)
    except UnavailableError:  # the shared store is down: apologise rather than fail the delivery
        return _apologise(service, query, body)
    nonce = query.get("nonce", "")
    if not admission.claimed:
        log_event("wechat.message.duplicate", key=admission.key, sender=admission.user)
        service.counted("duplicate")
        text = await _outcome_of_first_delivery(service, admission.key, started)
        return _passive(service, admission.message, text, nonce)
    return await _process(request, service, admission, nonce, started)


async def _outcome_of_first_delivery(service: WeChatService, key: str, started: float) -> Optional[str]:
    """Wait (within our budget) for the delivery that claimed the message; same reply or none."""
    while True:
        outcome = await run_in_threadpool(service.ledger.outcome, key)
        if outcome != "processing":
            return reply_of(outcome)
        if time.monotonic() - started > service.budget - 0.3:
            await run_in_threadpool(service.ledger.mark_retry_answered, key)
            return None
        await asyncio.sleep(0.25)


async def _process(request: Request, service: WeChatService, admission: Admission, nonce: str,
                   started: float) -> Response:
    message, user, key = admission.message, admission.user, admission.key
    openid = message.source
    work = asyncio.ensure_future(service.answer(message, user))
    remaining = max(0.05, service.budget - (time.monotonic() - started))
    done, _ = await asyncio.wait({work}, timeout=remaining)
    if not done:
        await run_in_threadpool(service.ledger.record_deferred, key)
        service.deliver_later(work, openid, user, admission.kept)
        log_event("wechat.reply.deferred", sender=user, budget=service.budget)
        service.counted("deferred")
        return PlainTextResponse(SUCCESS)
    texts = admission.kept + _result_of(work, user)
    if not texts:
        await run_in_threadpool(service.ledger.record_deferred, key)
        return PlainTextResponse(SUCCESS)
    first, rest = texts[0], texts[1:]
    if not await run_in_threadpool(service.ledger.finish, key, first):
        service.send_later(openid, user, texts)  # a retry already said "success" for us
        log_event("wechat.reply.after_retry", sender=user)
        service.counted("after_retry")
        return PlainTextResponse(SUCCESS)
    if rest:
        service.send_later(openid, user, rest)
    log_event("wechat.reply.passive", sender=user, parts=len(texts),
              ms=round((time.monotonic() - started) * 1000, 1))
    service.counted("passive")
    return _passive(service, message, first, nonce)


def _result_of(work: "asyncio.Future[List[str]]", user: str) -> List[str]:
    error = work.exception()
    if error is not None:
        log_event("wechat.answer.failed", sender=user, error=type(error).__name__)
        return [wechat_texts.UNAVAILABLE]
    return work.result()


def _apologise(service: WeChatService, query: Dict[str, str], body: bytes) -> Response:
    """The person gets "please try again / call 12345" instead of WeChat's "service unavailable"."""
    log_event("wechat.store.unavailable")
    service.counted("apology")
    try:
        message = service.envelope.open(query, body)
    except CivicError:
        return PlainTextResponse("temporarily unavailable", status_code=503)
    return _passive(service, message, wechat_texts.UNAVAILABLE, query.get("nonce", ""))


def _passive(service: WeChatService, message: BaseMessage, text: Optional[str], nonce: str) -> Response:
    if not text:
        return PlainTextResponse(SUCCESS)
    return Response(service.envelope.seal(message, text, nonce), media_type="application/xml")
