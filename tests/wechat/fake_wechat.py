"""A small stand-in for WeChat's API servers (which tests cannot reach), speaking their wire format.

It runs as a real HTTP server (uvicorn in a thread, on a free port) and answers like
``api.weixin.qq.com/cgi-bin/``: access token and stable token, temporary media download,
customer-service message, template message and menu creation, with WeChat's error bodies
(``{"errcode": 40001, "errmsg": "..."}``). Tests can make the next calls fail with a given code
and read back every call that was made.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections import defaultdict
from typing import Any, Dict, List, Optional

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

ERRMSG = {
    0: "ok",
    40001: "invalid credential, access_token is invalid or not latest",
    40007: "invalid media_id",
    40125: "invalid appsecret",
    42001: "access_token expired",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    -1: "system error",
}


class FakeWeChat:
    def __init__(self, app_id: str, secret: str) -> None:
        self.app_id = app_id
        self.secret = secret
        self.valid_tokens: set[str] = set()
        self.stable_token: Optional[str] = None
        self.media: Dict[str, bytes] = {}
        self.calls: List[Dict[str, Any]] = []
        self._failures: Dict[str, List[int]] = defaultdict(list)
        self._lock = threading.Lock()
        self._msgids = itertools.count(1000)
        self.token_delay = 0.0
        self.url = ""
        self._server: Optional[uvicorn.Server] = None
        self.app = self._build()

    # --- test controls -----------------------------------------------------------------------
    def fail_next(self, endpoint: str, *codes: int) -> None:
        """The next calls to ``endpoint`` (e.g. ``message/custom/send``) answer these codes."""
        with self._lock:
            self._failures[endpoint].extend(codes)

    def expire_all_tokens(self) -> None:
        with self._lock:
            self.valid_tokens.clear()
            self.stable_token = None

    def calls_to(self, endpoint: str) -> List[Dict[str, Any]]:
        return [c for c in self.calls if c["endpoint"] == endpoint]

    def sent_texts(self, openid: Optional[str] = None) -> List[str]:
        return [c["json"]["text"]["content"] for c in self.calls_to("message/custom/send")
                if c["ok"] and (openid is None or c["json"]["touser"] == openid)]

    def wait_for(self, endpoint: str, count: int = 1, timeout: float = 15.0) -> List[Dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ok = [c for c in self.calls_to(endpoint) if c["ok"]]
            if len(ok) >= count:
                return ok
            time.sleep(0.05)
        raise TimeoutError(f"{endpoint}: expected {count} successful calls, got {self.calls_to(endpoint)}")

    # --- the server ----------------------------------------------------------------------------
    def _record(self, endpoint: str, request: Request, body: Any, ok: bool) -> None:
        self.calls.append({"endpoint": endpoint, "params": dict(request.query_params), "json": body, "ok": ok})

    def _injected(self, endpoint: str) -> Optional[int]:
        with self._lock:
            queue = self._failures.get(endpoint)
            return queue.pop(0) if queue else None

    def _error(self, code: int) -> JSONResponse:
        return JSONResponse({"errcode": code, "errmsg": ERRMSG.get(code, "error")})

    def _new_token(self) -> str:
        token = "TOKEN_" + uuid.uuid4().hex
        self.valid_tokens.add(token)
        return token

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.get("/cgi-bin/token")
        def token(request: Request, grant_type: str = "", appid: str = "", secret: str = "") -> Response:
            ok = grant_type == "client_credential" and appid == self.app_id and secret == self.secret
            self._record("token", request, None, ok)
            if not ok:
                return self._error(40125)
            with self._lock:
                self.valid_tokens = set()  # a new token from cgi-bin/token invalidates the old
                return JSONResponse({"access_token": self._new_token(), "expires_in": 7200})

        @app.post("/cgi-bin/stable_token")
        async def stable_token(request: Request) -> Response:
            body = await request.json()
            ok = (body.get("grant_type") == "client_credential" and body.get("appid") == self.app_id
                  and body.get("secret") == self.secret)
            self._record("stable_token", request, body, ok)
            if self.token_delay:
                time.sleep(self.token_delay)
            if not ok:
                return self._error(40125)
            with self._lock:
                if body.get("force_refresh") or self.stable_token not in self.valid_tokens:
                    self.valid_tokens.discard(self.stable_token or "")
                    self.stable_token = self._new_token()
                return JSONResponse({"access_token": self.stable_token, "expires_in": 7200})

        def authorised(request: Request, endpoint: str, body: Any) -> Optional[Response]:
            injected = self._injected(endpoint)
            if injected is not None:
                self._record(endpoint, request, body, False)
                return self._error(injected)
            if request.query_params.get("access_token") not in self.valid_tokens:
                self._record(endpoint, request, body, False)
                return self._error(40001)
            self._record(endpoint, request, body, True)
            return None

        @app.get("/cgi-bin/media/get")
        def media_get(request: Request, media_id: str = "") -> Response:
            failed = authorised(request, "media/get", None)
            if failed is not None:
                return failed
            if media_id not in self.media:
                return self._error(40007)
            return Response(self.media[media_id], media_type="audio/amr", headers={
                "Content-Disposition": f'attachment; filename="{media_id}.amr"'})

        @app.post("/cgi-bin/message/custom/send")
        async def custom_send(request: Request) -> Response:
            body = await request.json()
            return authorised(request, "message/custom/send", body) or self._error(0)

        @app.post("/cgi-bin/message/template/send")
        async def template_send(request: Request) -> Response:
            body = await request.json()
            failed = authorised(request, "message/template/send", body)
            if failed is not None:
                return failed
            return JSONResponse({"errcode": 0, "errmsg": "ok", "msgid": next(self._msgids)})

        @app.post("/cgi-bin/menu/create")
        async def menu_create(request: Request) -> Response:
            body = await request.json()
            return authorised(request, "menu/create", body) or self._error(0)

        return app

    def start(self, port: int, host: str = "127.0.0.1") -> "FakeWeChat":
        """Serve on ``host:port`` (another address than loopback for gateways in other network
        namespaces: tests/production)."""
        config = uvicorn.Config(self.app, host=host, port=port, log_level="warning", ws="none")
        self._server = uvicorn.Server(config)
        thread = threading.Thread(target=self._server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("fake WeChat server did not start")
            time.sleep(0.02)
        self.url = f"http://{host}:{port}/cgi-bin/"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
