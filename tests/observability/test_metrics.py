"""``GET /metrics`` after real turns through the real gateway (real model, action server,
PostgreSQL and Redis): what it counts, what it checks at scrape time, and who may read it."""

from __future__ import annotations

import os
import re
import secrets

import pytest
from fastapi.testclient import TestClient

from assistant.errors import ConfigError
from assistant.gateway.app import create_app
from assistant.metrics import Metrics
from assistant.metrics_workers import prepare_worker_metrics, worker_exited
from knowledge.catalogue import get_catalogue
from tests.conftest import free_port, new_chat_sender, new_sender
from tests.observability.conftest import METRICS_TOKEN, scrape, settings_like, value
from tests.wechat.sender import text_xml


def chat(client: TestClient, path: str, message: str) -> dict:
    sender = new_sender() if path.startswith("/webhooks") else new_chat_sender(client)
    response = client.post(path, json={"sender": sender, "message": message})
    assert response.status_code == 200, response.text
    return response.json()


# --- access ------------------------------------------------------------------------------------------

def test_without_a_configured_token_the_endpoint_is_absent(test_settings, backend) -> None:
    assert test_settings.metrics_token == ""
    with TestClient(create_app(test_settings, backend=backend)) as client:
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": f"Bearer {METRICS_TOKEN}"}):
            response = client.get("/metrics", headers=headers)
            assert response.status_code == 404
            assert "civic_" not in response.text


def test_only_the_right_bearer_token_reads_the_metrics(observed) -> None:
    refused = [
        {},
        {"Authorization": METRICS_TOKEN},  # no scheme
        {"Authorization": f"Basic {METRICS_TOKEN}"},
        {"Authorization": f"Bearer {METRICS_TOKEN}x"},
        {"Authorization": f"Bearer {METRICS_TOKEN[:-1]}"},
        {"Authorization": "Bearer "},
    ]
    for headers in refused:
        response = observed.get("/metrics", headers=headers)
        assert response.status_code == 401, headers
        assert "civic_" not in response.text
    assert scrape(observed)  # the right token: a 200 in Prometheus' text format (checked in scrape)


def test_production_refuses_a_weak_metrics_token(test_settings) -> None:
    strong = {name: secrets.token_hex(24) for name in ("session_secret", "id_salt", "action_token",
                                                       "staff_demo_password")}
    for weak in ("short", "metrics-token-changeme-0123456789abcdef"):
        with pytest.raises(ConfigError, match="CIVIC_METRICS_TOKEN"):
            settings_like(test_settings, environment="production", metrics_token=weak, **strong)
    assert settings_like(test_settings, environment="production", metrics_token=METRICS_TOKEN,
                         **strong).metrics_token == METRICS_TOKEN


# --- what is counted -----------------------------------------------------------------------------------

def test_turns_are_counted_by_channel_topic_and_outcome(observed) -> None:
    before = scrape(observed)
    assert chat(observed, "/api/v1/chat", "我想办护照")["topic"] == "passport"
    assert chat(observed, "/api/v1/kiosk/chat", "转人工")["topic"] == "human_handoff"
    assert chat(observed, "/webhooks/rest/webhook", "帮我点个外卖")
    clarified = chat(observed, "/api/v1/chat", "嗯那个啥")
    assert "不太确定" in clarified["replies"][0]["text"] or "没太听明白" in clarified["replies"][0]["text"]
    after = scrape(observed)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("civic_turns_total", channel="web", topic="passport", outcome="answered") == 1
    assert delta("civic_turns_total", channel="kiosk", topic="human_handoff", outcome="handoff") == 1
    assert delta("civic_turns_total", channel="rest", topic="out_of_scope", outcome="fallback") == 1
    assert delta("civic_turns_total", channel="web", outcome="clarified") == 1
    assert delta("civic_turns_total") == 4
    assert delta("civic_turn_duration_seconds_count", channel="web") == 2
    # request latency per route template and channel, in seconds
    assert delta("civic_http_request_duration_seconds_count", route="/api/v1/chat", channel="web",
                 method="POST", status="2xx") == 2
    assert delta("civic_http_request_duration_seconds_count", route="/api/v1/kiosk/chat", channel="kiosk") == 1
    assert delta("civic_http_request_duration_seconds_count", route="/webhooks/rest/webhook", channel="rest") == 1
    assert delta("civic_http_request_duration_seconds_bucket", route="/api/v1/chat", le="30.0") == 2
    assert 0 < delta("civic_http_request_duration_seconds_sum", route="/api/v1/chat") < 60
    assert delta("civic_http_request_duration_seconds_count", route="/api/v1/session", channel="none") == 3


def test_route_templates_not_raw_paths_label_the_latency(observed) -> None:
    assert observed.get("/api/v1/matters/passport").status_code == 200
    assert observed.get("/api/v1/matters/no-such-matter-0123").status_code == 404
    assert observed.get("/no/such/page/13800138000").status_code == 404
    samples = scrape(observed)
    assert value(samples, "civic_http_request_duration_seconds_count", route="/api/v1/matters/{matter_id}",
                 status="4xx") >= 1
    assert value(samples, "civic_http_request_duration_seconds_count", route="unmatched", status="4xx") >= 1
    routes = {labels["route"] for labels, _ in samples["civic_http_request_duration_seconds_count"]}
    assert not any("13800138000" in r or "no-such-matter" in r for r in routes)


def test_scrape_reports_dependencies_versions_and_pool_queues(observed, backend) -> None:
    pool = observed.app.state.pools["login"]  # 1 thread and 4 waiting places
    places = [pool.hold() for _ in range(3)]
    try:
        samples = scrape(observed)
    finally:
        for place in places:
            place.release()
    assert value(samples, "civic_pool_queued_jobs", pool="login") == 2
    assert value(samples, "civic_pool_running_jobs", pool="login") == 1
    assert {labels["pool"] for labels, _ in samples["civic_pool_queued_jobs"]} == {"speech", "tts", "login", "io"}
    assert value(scrape(observed), "civic_pool_queued_jobs", pool="login") == 0  # released
    for dependency in ("model", "database", "redis", "actions"):
        assert value(samples, "civic_dependency_up", dependency=dependency) == 1, dependency
    [(model, _)] = samples["civic_model_info"]
    assert model["version"] == backend.model_version and re.fullmatch(r"[0-9a-f]{16}", model["version"])
    [(catalogue, _)] = samples["civic_catalogue_info"]
    assert re.fullmatch(r"[0-9a-f]{12}", catalogue["version"])
    assert catalogue["matters"] == str(len(get_catalogue().matters))


def test_a_dependency_down_reads_zero(test_settings, backend) -> None:
    dead = free_port()
    settings = settings_like(test_settings, metrics_token=METRICS_TOKEN, redis_url=f"redis://127.0.0.1:{dead}/0",
                             action_url=f"http://127.0.0.1:{dead}/webhook")
    with TestClient(create_app(settings, backend=backend)) as client:
        samples = scrape(client)
    assert value(samples, "civic_dependency_up", dependency="redis") == 0
    assert value(samples, "civic_dependency_up", dependency="actions") == 0
    assert value(samples, "civic_dependency_up", dependency="database") == 1


def test_wechat_answers_past_the_budget_go_through_customer_service_and_are_counted(make_gateway, openid) -> None:
    slow = make_gateway("safe", delay=1.2, wechat_reply_budget_seconds=0.3, metrics_token=METRICS_TOKEN)
    xml = text_xml(openid, "你好")
    assert slow.post(xml, openid).text == "success"
    assert slow.post(xml, openid).text == "success"  # WeChat's retry while the answer is on its way
    slow.fake.wait_for("message/custom/send")
    samples = scrape(slow.client)
    assert value(samples, "civic_wechat_replies_total", way="deferred") == 1
    assert value(samples, "civic_wechat_replies_total", way="duplicate") == 1
    assert value(samples, "civic_wechat_replies_total", way="passive") == 0
    assert value(samples, "civic_wechat_customer_service_messages_total", result="sent") == 1
    assert value(samples, "civic_turns_total", channel="wechat") == 1
    assert value(samples, "civic_http_request_duration_seconds_count", route="/channels/wechat", channel="wechat") == 2

    quick = make_gateway("safe", metrics_token=METRICS_TOKEN)
    assert quick.reply(text_xml(openid, "你好"), openid) is not None
    samples = scrape(quick.client)
    assert value(samples, "civic_wechat_replies_total", way="passive") == 1
    assert value(samples, "civic_wechat_replies_total", way="deferred") == 0


# --- several workers ----------------------------------------------------------------------------------

def test_several_workers_without_multiprocess_mode_refuse_to_start(tmp_path) -> None:
    with pytest.raises(ConfigError, match="PROMETHEUS_MULTIPROC_DIR"):
        Metrics(tmp_path)  # this process counts in memory: one worker's share is not the total


def test_serve_empties_the_metrics_folder_of_a_previous_run(test_settings, postgres_url, tmp_path,
                                                            monkeypatch) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)  # restored after the test
    one = settings_like(test_settings, var_dir=tmp_path)
    assert prepare_worker_metrics(one) is None and "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    several = settings_like(test_settings, var_dir=tmp_path, workers=2, redis_url="redis://127.0.0.1:6379/0",
                            database_url=postgres_url)
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_4242.db").write_bytes(b"stale")
    assert prepare_worker_metrics(several) == folder
    assert list(folder.iterdir()) == []
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(folder)
    (folder / "gauge_livesum_4343.db").write_bytes(b"")
    (folder / "counter_4343.db").write_bytes(b"")
    worker_exited(several, 4343)
    assert sorted(p.name for p in folder.iterdir()) == ["counter_4343.db"]
