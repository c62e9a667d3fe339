"""Outbound calls to WeChat's API, on wechatpy's ``WeChatClient``.

Three things other bots get wrong, handled here:

* **One access token for every worker.** Each ``cgi-bin/token`` call invalidates the previous
  token, so workers fetching their own would knock each other out. The token lives in wechatpy's
  session storage (Redis when configured) and only the worker holding a short lock in the shared
  store fetches it (from the stable-token endpoint); the others wait and read it.
* **Refresh once, never loop.** wechatpy's ``auto_retry`` refetches and retries on every 40001,
  forever if WeChat keeps saying so. Here an expired-token answer (40001, 40014, 42001) refreshes
  the token once and retries the call once; a second failure is an error.
* **Customer-service window.** WeChat accepts at most 5 customer-service messages within 48 hours
  of the user's last message. We count them per user in the shared store; what cannot be sent now
  (window closed, 45015, 45047, or WeChat busy twice) is kept and goes out with the user's next
  message.

All of this is blocking (``requests``): call it from threads, never inside ``async def``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage
from wechatpy.session.redisstorage import RedisStorage

from assistant.errors import UnavailableError
from assistant.logs import log_event
from assistant.state import KeyValueStore, RedisStore

TOKEN_EXPIRED_CODES = frozenset({40001, 40014, 42001})
WINDOW_CLOSED_CODES = frozenset({45015, 45047})  # 48 hours passed / too many messages
BUSY_CODE = -1

CS_WINDOW_SECONDS = 48 * 3600
CS_MESSAGES_PER_WINDOW = 5
PENDING_TTL_SECONDS = 7 * 24 * 3600
TEMPLATE_FIELD_MAX_CHARS = 20

_TOKEN_LOCK_TTL = 15.0
_TOKEN_WAIT_SECONDS = 10.0
_TOKEN_EARLY_REFRESH = 300  # refresh five minutes before WeChat's expiry


class StoreSession(SessionStorage):
    """wechatpy session storage over the in-memory store: unlike wechatpy's ``MemoryStorage`` it
    honours the token's expiry and is shared by every client of the process."""

    def __init__(self, store: KeyValueStore, prefix: str) -> None:
        self._store = store
        self._prefix = prefix

    def get(self, key: str, default: Any = None) -> Any:
        raw = self._store.get(f"{self._prefix}:{key}")
        return default if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, ttl: Optional[int] = None) -> None:
        if value is not None:
            self._store.set(f"{self._prefix}:{key}", json.dumps(value), ttl=ttl)

    def delete(self, key: str) -> None:
        self._store.delete(f"{self._prefix}:{key}")


class SharedTokenClient(WeChatClient):
    """``WeChatClient`` whose token is shared through the store, with a one-time refresh."""

    def __init__(self, app_id: str, secret: str, api_base: str, store: KeyValueStore,
                 namespace: str, timeout: float = 5.0) -> None:
        if isinstance(store, RedisStore):
            session: SessionStorage = RedisStorage(store.client, prefix=f"civic:{namespace}:wechatpy")
        else:
            session = StoreSession(store, f"{namespace}:wechatpy")
        super().__init__(app_id, secret, session=session, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = api_base if api_base.endswith("/") else api_base + "/"
        self._store = store
        self._lock_key = f"{namespace}:token-lock"

    # --- the token ------------------------------------------------------------------------------
    @property
    def access_token(self) -> str:  # type: ignore[override]
        return self.session.get(self.access_token_key) or self._refresh(stale=None)

    def fetch_access_token(self) -> Dict[str, Any]:  # wechatpy's name, kept for its callers
        return {"access_token": self._refresh(stale=self.session.get(self.access_token_key), force=True)}

    def _refresh(self, stale: Optional[str], force: bool = False) -> str:
        """A token other than ``stale``: another worker's fresh one, or one we fetch under lock."""
        deadline = time.monotonic() + _TOKEN_WAIT_SECONDS
        while True:
            current = self.session.get(self.access_token_key)
            if current and current != stale:
                return current
            if self._store.set_if_absent(self._lock_key, "1", _TOKEN_LOCK_TTL):
                try:
                    current = self.session.get(self.access_token_key)
                    if current and current != stale:
                        return current
                    return self._fetch_stable_token(force_refresh=force and stale is not None)
                finally:
                    self._store.delete(self._lock_key)
            if time.monotonic() > deadline:
                raise UnavailableError("timed out waiting for another worker's WeChat token")
            time.sleep(0.05)

    def _fetch_stable_token(self, force_refresh: bool) -> str:
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret,
                "force_refresh": force_refresh}
        try:
            res = self._http.post(self.API_BASE_URL + "stable_token", json=body, timeout=self.timeout)
            res.raise_for_status()
            result = res.json()
        except (requests.RequestException, ValueError) as err:
            raise UnavailableError(f"WeChat token endpoint failed: {type(err).__name__}") from err
        if result.get("errcode"):
            raise WeChatClientException(result["errcode"], result.get("errmsg"), client=self)
        expires_in = int(result.get("expires_in", 7200))
        ttl = max(60, expires_in - _TOKEN_EARLY_REFRESH)
        self.session.set(self.access_token_key, result["access_token"], ttl)
        log_event("wechat.token.fetched", expires_in=expires_in, forced=force_refresh)
        return result["access_token"]

    # --- every API call -----------------------------------------------------------------------------
    def _request(self, method, url_or_endpoint, **kwargs):  # type: ignore[no-untyped-def]
        params = dict(kwargs.pop("params", None) or {})
        token = params.pop("access_token", None) or self.access_token
        try:
            return self._call(method, url_or_endpoint, params, token, kwargs)
        except WeChatClientException as err:
            if err.errcode not in TOKEN_EXPIRED_CODES:
                raise
            log_event("wechat.token.expired", errcode=err.errcode)
            fresh = self._refresh(stale=token, force=True)
            return self._call(method, url_or_endpoint, params, fresh, kwargs)  # once, never a loop

    def _call(self, method, url, params, token, kwargs):  # type: ignore[no-untyped-def]
        try:
            return super()._request(method, url, params=dict(params, access_token=token), **kwargs)
        except requests.RequestException as err:
            raise UnavailableError(f"WeChat API unreachable: {type(err).__name__}") from err


@dataclass
class SendReport:
    sent: int = 0
    kept: int = 0
    errors: List[int] = field(default_factory=list)


class CustomerService:
    """Customer-service text messages within WeChat's window; the rest wait for the user."""

    def __init__(self, client: SharedTokenClient, store: KeyValueStore, namespace: str,
                 busy_pause: float = 0.3) -> None:
        self._client = client
        self._store = store
        self._namespace = namespace
        self._busy_pause = busy_pause

    def _key(self, kind: str, user: str) -> str:
        return f"{self._namespace}:cs-{kind}:{user}"

    def user_wrote(self, user: str) -> List[str]:
        """The user wrote: the window opens again. Returns what was kept for them, now due."""
        self._store.set(self._key("open", user), "1", ttl=CS_WINDOW_SECONDS)
        self._store.delete(self._key("count", user))
        return self.take_pending(user)

    def take_pending(self, user: str) -> List[str]:
        raw = self._store.get(self._key("pending", user))
        if not raw:
            return []
        self._store.delete(self._key("pending", user))
        return list(json.loads(raw))

    def _keep(self, user: str, texts: Sequence[str]) -> None:
        pending = self.take_pending(user) + list(texts)
        self._store.set(self._key("pending", user), json.dumps(pending, ensure_ascii=False),
                        ttl=PENDING_TTL_SECONDS)
        log_event("wechat.cs.kept", sender=user, messages=len(texts))

    def forget(self, user: str) -> None:
        for kind in ("open", "count", "pending"):
            self._store.delete(self._key(kind, user))

    def send(self, openid: str, user: str, texts: Sequence[str]) -> SendReport:
        """Send ``texts`` in order; ``user`` is the pseudonym, the only id that is logged."""
        report = SendReport()
        for index, text in enumerate(texts):
            if self._store.get(self._key("open", user)) is None:
                reason: Optional[int] = 45015
            elif self._store.incr(self._key("count", user), ttl=CS_WINDOW_SECONDS) > CS_MESSAGES_PER_WINDOW:
                reason = 45047
            else:
                reason = self._send_one(openid, text, report)
            if reason is not None:
                self._keep(user, texts[index:])
                report.kept = len(texts) - index
                break
            report.sent += 1
        log_event("wechat.cs.sent", sender=user, sent=report.sent, kept=report.kept,
                  errors=",".join(map(str, report.errors)) or None)
        return report

    def _send_one(self, openid: str, text: str, report: SendReport) -> Optional[int]:
        """``None`` when sent, else the code that means "keep it for later"."""
        for attempt in (1, 2):
            try:
                self._client.message.send_text(openid, text)
                return None
            except WeChatClientException as err:
                report.errors.append(err.errcode)
                if err.errcode in WINDOW_CLOSED_CODES:
                    return err.errcode
                if err.errcode == BUSY_CODE and attempt == 1:
                    time.sleep(self._busy_pause)  # WeChat busy: one more try, then keep it
                    continue
                if err.errcode == BUSY_CODE:
                    return BUSY_CODE
                # Retrying later will not fix a bad openid or a blocked account: log, move on.
                log_event("wechat.cs.rejected", errcode=err.errcode)
                return None
            except UnavailableError:
                return BUSY_CODE
        return BUSY_CODE


def clip_field(value: str, limit: int = TEMPLATE_FIELD_MAX_CHARS) -> str:
    """Template message fields may hold at most 20 characters."""
    value = value.strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def send_template(client: SharedTokenClient, openid: str, template_id: str,
                  fields: Dict[str, str], url: Optional[str] = None) -> Dict[str, Any]:
    """A template message with every field clipped to WeChat's limit."""
    data = {name: {"value": clip_field(str(value))} for name, value in fields.items()}
    return client.message.send_template(openid, template_id, data, url=url)
