"""ASGI middleware for the gateway's edge."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

JSON_PREFIXES = ("/api/", "/webhooks/")


class JsonByDefault:
    """Treat API bodies as JSON whatever the Content-Type says (Rasa's REST channel does too).

    ``curl -d '{...}'`` sends ``application/x-www-form-urlencoded``; rejecting a valid JSON body
    for its header would be unkind. Multipart uploads (audio) keep their type.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH") and scope[
            "path"
        ].startswith(JSON_PREFIXES):
            headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
            current = dict(scope["headers"]).get(b"content-type", b"")
            if not current.startswith((b"multipart/", b"application/json")):
                scope = dict(scope, headers=headers + [(b"content-type", b"application/json")])
        await self.app(scope, receive, send)
