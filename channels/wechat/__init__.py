"""The WeChat official account channel: ``GET``/``POST /channels/wechat``.

``router`` (HTTP), ``service`` (what a verified message becomes), ``envelope`` (signatures and
AES), ``dedup`` (exactly-once deliveries, replayed signatures), ``render`` (replies as WeChat
text), ``api`` (outbound calls, shared token, customer-service window), ``notify`` (case-status
template messages), ``menu``, ``voice`` (downloading recordings) and ``texts``.
"""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.orm import sessionmaker

from assistant.logs import log_event
from assistant.settings import Settings
from assistant.state import KeyValueStore
from channels.wechat.router import router
from channels.wechat.service import WeChatService

__all__ = ["router", "start_wechat", "WeChatService"]


def start_wechat(settings: Settings, store: KeyValueStore, *, core: Any, recogniser: Any,
                 sessions: sessionmaker, metrics: Any = None) -> Optional[WeChatService]:
    """The channel with its collaborators, or ``None`` when no WeChat token is configured; a bad
    setting fails here, at start, naming itself."""
    if not settings.wechat_token:
        return None
    recogniser = recogniser if callable(getattr(recogniser, "transcribe", None)) else None
    service = WeChatService.create(settings, store, core=core, recogniser=recogniser, sessions=sessions,
                                   metrics=metrics)
    log_event("wechat.ready", mode=service.mode, outbound=service.cs is not None)
    return service
