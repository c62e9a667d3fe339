"""Fixtures for the WeChat channel: a fake WeChat API server and gateways configured against it.

Every gateway gets its own app id, and the channel namespaces its store keys by app id, so each
test (and each run) has its own keys in the shared Redis.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.gateway.app import create_app
from assistant.settings import Settings, load_settings
from tests.conftest import free_port
from tests.wechat.fake_wechat import FakeWeChat
from tests.wechat.sender import WeChatSender, aes_key, new_openid

RUN = uuid.uuid4().hex[:6]
_APP_IDS = itertools.count(1)


class ObservedBackend:
    """The real Rasa backend, observed: counts and records what reached the core, and can be made
    slow (the timeout path) or answer one magic text with buttons (numbered choices)."""

    def __init__(self, inner: Any, delay: float = 0.0) -> None:
        self.inner = inner
        self.delay = delay
        self.texts: List[str] = []
        self.senders: List[str] = []

    async def respond(self, sender, text, metadata, channel):  # type: ignore[no-untyped-def]
        self.texts.append(text)
        self.senders.append(sender)
        if self.delay:
            await asyncio.sleep(self.delay)
        if text == "please offer choices":
            messages, view = await self.inner.respond(sender, "你好", metadata, channel)
            buttons = [{"title": "身份证", "payload": "/greet"}, {"title": "社保", "payload": "/goodbye"}]
            return [{"text": "请选择您要办的事：", "buttons": buttons}], view
        return await self.inner.respond(sender, text, metadata, channel)

    async def ready(self) -> Optional[str]:
        return await self.inner.ready()

    async def close(self) -> None:
        return None


@dataclass
class Gateway:
    client: TestClient
    sender: WeChatSender
    settings: Settings
    backend: ObservedBackend
    fake: FakeWeChat

    @property
    def app(self) -> Any:
        return self.client.app

    def post(self, xml: str, openid: str, timestamp: Optional[int] = None) -> httpx.Response:
        params, body = self.sender.envelope(xml, openid, timestamp)
        return self.client.post("/channels/wechat", params=params, content=body,
                                headers={"Content-Type": "text/xml"})

    def reply(self, xml: str, openid: str) -> Optional[Dict[str, Any]]:
        response = self.post(xml, openid)
        assert response.status_code == 200, response.text
        return self.sender.open_reply(response.text)


@pytest.fixture()
def fake_wechat() -> Iterator[FakeWeChat]:
    fake = FakeWeChat(f"wx{RUN}{next(_APP_IDS):04d}", "secret-" + uuid.uuid4().hex[:8])
    fake.start(free_port())
    yield fake
    fake.stop()


def wechat_settings(base: Settings, fake: FakeWeChat, mode: str = "safe", redis_url: Optional[str] = None,
                    **overrides: Any) -> Settings:
    values = base.dict()
    values.update(wechat_token="tok" + uuid.uuid4().hex[:10], wechat_app_id=fake.app_id,
                  wechat_app_secret=fake.secret, wechat_api_base=fake.url,
                  wechat_aes_key=aes_key() if mode == "safe" else "", redis_url=redis_url)
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture()
def make_gateway(test_settings: Settings, backend: Any, fake_wechat: FakeWeChat, redis_url: str):
    """``make_gateway(mode="safe", delay=0, store="redis", like=None, **settings)`` -> a :class:`Gateway`."""
    opened: List[TestClient] = []

    def make(mode: str = "safe", delay: float = 0.0, store: str = "redis", like: Optional[Gateway] = None,
             **overrides: Any) -> Gateway:
        """``like``: another worker of the same account (same settings, same Redis)."""
        settings = like.settings if like is not None else wechat_settings(
            test_settings, fake_wechat, mode, redis_url if store == "redis" else None, **overrides)
        observed = ObservedBackend(backend, delay)
        client = TestClient(create_app(settings, backend=observed))
        client.__enter__()
        opened.append(client)
        sender = WeChatSender(settings.wechat_token, settings.wechat_aes_key, settings.wechat_app_id)
        return Gateway(client, sender, settings, observed, fake_wechat)

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture()
def openid() -> str:
    return new_openid()
