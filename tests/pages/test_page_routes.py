"""The page router without a browser: what it serves, what it refuses, and how (gzip, ETag, CSP)."""

from __future__ import annotations

import gzip

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.gateway import errors
from assistant.gateway.routes import pages
from assistant.settings import load_settings


@pytest.fixture(scope="module")
def web() -> TestClient:
    app = FastAPI()
    app.state.settings = load_settings(environment="test")  # CIVIC_FRAME_ANCESTORS
    errors.install(app)
    app.include_router(pages.router)
    return TestClient(app)


@pytest.mark.parametrize("path,marker", [
    ("/", b'role="log"'), ("/kiosk", b'id="idle-banner"'), ("/checklist/matter/id_card", b'id="materials"'),
    ("/checklist/event/retiring", b'id="materials"'),
])
def test_pages_are_served_with_a_strict_policy(web: TestClient, path: str, marker: bytes) -> None:
    response = web.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert marker in response.content
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert policy.endswith("frame-ancestors 'self'")  # no other site may frame a page (issue 15)
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_static_files_are_gzipped_and_revalidated(web: TestClient) -> None:
    raw = web.get("/static/js/chat.js", headers={"Accept-Encoding": "identity"})
    assert raw.status_code == 200 and "content-encoding" not in raw.headers
    assert raw.headers["content-type"].startswith("text/javascript")
    packed = web.get("/static/js/chat.js", headers={"Accept-Encoding": "gzip"}, )
    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) < len(raw.content) / 2
    etag = raw.headers["etag"]
    again = web.get("/static/js/chat.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert web.head("/kiosk").status_code == 200
    assert gzip.decompress(gzip.compress(raw.content)) == raw.content


def test_vendored_qr_library_is_built(web: TestClient) -> None:
    response = web.get("/static/vendor/qrcode.js")
    assert response.status_code == 200, "run `make frontend` (npm ci + copy into assistant/web/vendor)"
    assert b"qrcode" in response.content


@pytest.mark.parametrize("path", [
    "/static/../gateway/app.py", "/static/%2e%2e/%2e%2e/settings.py", "/static/nothing.js",
    "/static/js", "/checklist/matter/../../etc", "/checklist/other/id_card", "/checklist/matter/ID;DROP",
    "/static/vendor/.built",
])
def test_nothing_outside_the_web_folder_or_unknown_is_served(web: TestClient, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
