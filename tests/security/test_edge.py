"""The gateway's edge (issue 15): what is refused before any work is done, and what a stranger's
browser or an anonymous caller can no longer make the API do or show."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.gateway.app import create_app
from assistant.settings import Settings, load_settings
from tests.security.conftest import client_address

JSON_ROUTES = ["/api/v1/chat", "/api/v1/kiosk/chat", "/webhooks/rest/webhook", "/api/v1/tts",
               "/api/v1/data/cases", "/staff/login"]


@pytest.mark.parametrize("path", JSON_ROUTES)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "text/plain;charset=UTF-8"])
def test_simple_cross_origin_posts_are_refused_with_415(gateway: TestClient, path: str, content_type: str) -> None:
    # what any web page can make a visitor's browser send without a CORS preflight
    response = gateway.post(path, content=b'{"sender": "x", "message": "/feedback{\\"rating\\":\\"1\\"}"}',
                            headers={"content-type": content_type})
    assert response.status_code == 415, response.text


def test_a_chat_body_over_the_limit_is_413_before_it_is_read(gateway: TestClient, limited_settings: Settings) -> None:
    big = b'{"sender": "x", "message": "' + b"a" * (limited_settings.max_body_bytes + 10) + b'"}'
    declared = gateway.post("/api/v1/chat", content=big, headers={"content-type": "application/json"})
    assert declared.status_code == 413

    def chunks():  # no Content-Length: counted while read
        for _ in range(64):
            yield b"a" * 16384

    streamed = gateway.post("/api/v1/chat", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    # what the pages send still passes: JSON, and multipart for uploads
    assert gateway.post("/api/v1/stt", files={"audio": ("a.wav", b"RIFF")}).status_code not in (413, 415)
    assert gateway.post("/api/v1/chat", json={"sender": "x", "message": "hi"}).status_code not in (413, 415)


def test_data_push_checks_the_token_before_reading_the_body(gateway: TestClient) -> None:
    # on main the body was parsed first: this answered 422 ("not JSON") to a caller with no token
    response = gateway.post("/api/v1/data/cases", content=b"{not json",
                            headers={"content-type": "application/json", "authorization": "Bearer wrong"})
    assert response.status_code == 401
    too_big = gateway.post("/api/v1/data/cases", content=b"[" + b" " * (9 * 1024 * 1024) + b"]",
                           headers={"content-type": "application/json"})
    assert too_big.status_code == 413


def test_the_chat_page_cannot_be_framed_by_another_site(gateway: TestClient) -> None:
    for path in ("/", "/kiosk"):
        response = gateway.get(path)
        assert response.headers["content-security-policy"].endswith("frame-ancestors 'self'"), path
        assert response.headers["x-frame-options"] == "SAMEORIGIN"


def test_readyz_shows_no_hosts_ports_or_paths(limited_settings: Settings) -> None:
    settings = limited_settings.copy(update={"redis_url": "redis://127.0.0.1:1/0", "rate_limits": False})
    with TestClient(create_app(settings), client=(client_address(), 1)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.text
    assert set(response.json()["problems"]) >= {"redis", "model"}
    for secret in ("127.0.0.1", ":1", str(settings.var_dir), str(settings.model_dir), "Error"):
        assert secret not in body, secret


def test_no_swagger_from_a_cdn_and_no_schema_in_production(limited_settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(limited_settings), client=(client_address(), 1)) as client:
        docs = client.get("/docs")
        assert docs.status_code == 404 or "cdn" not in docs.text
    production = load_settings(environment="production", var_dir=str(tmp_path), model_dir=str(tmp_path / "none"),
                               database_url=f"sqlite:///{tmp_path / 'p.db'}", stt_enabled=False,
                               id_salt="Zr8mQ2vW5nLx9cTp3kHd7gFj1sYb4aEu0", session_secret="Hq3vN8rT2wLm5pXc9zKd4fGj7sYb1aEu6",
                               action_token="Pn4wK8rT2xLm5vXc9zQd3fGj7sYb1aEh6", staff_demo_password="Vb7nM2qW9xLk4cTz8pHd")
    with TestClient(create_app(production), client=(client_address(), 1)) as client:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert client.get(path).status_code == 404, path
