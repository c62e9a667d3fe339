"""The outbound client against the fake WeChat API: one shared token, one refresh, the
customer-service window, template messages, the menu push."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid

import pytest
from wechatpy.exceptions import WeChatClientException

from assistant.settings import PROJECT_ROOT
from assistant.state import MemoryStore, RedisStore
from channels.wechat.api import CustomerService, SharedTokenClient, clip_field, send_template
from channels.wechat.menu import CLICKS, MENU
from tests.wechat.sender import new_openid, text_xml


@pytest.fixture(params=["memory", "redis"])
def store(request, redis_url):
    if request.param == "memory":
        return MemoryStore()
    return RedisStore(redis_url, prefix=f"civic-test-{uuid.uuid4().hex[:8]}:")


def client_for(fake, store, namespace="wechat:test"):
    return SharedTokenClient(fake.app_id, fake.secret, fake.url, store, namespace)


def test_workers_share_one_token(fake_wechat, store):
    """Eight clients (as eight workers) asking at once: the token endpoint is called once."""
    fake_wechat.token_delay = 0.3
    clients = [client_for(fake_wechat, store) for _ in range(8)]
    tokens = []
    threads = [threading.Thread(target=lambda c=c: tokens.append(c.access_token)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fake_wechat.calls_to("stable_token")) == 1
    assert len(set(tokens)) == 1 and tokens[0] in fake_wechat.valid_tokens


def test_expired_token_is_refreshed_once_and_the_call_retried(fake_wechat, store):
    client = client_for(fake_wechat, store)
    openid = new_openid()
    client.message.send_text(openid, "first")
    fake_wechat.expire_all_tokens()  # WeChat now answers 40001 to the token we hold
    client.message.send_text(openid, "second")
    sends = fake_wechat.calls_to("message/custom/send")
    assert [c["ok"] for c in sends] == [True, False, True]
    assert len(fake_wechat.calls_to("stable_token")) == 2
    assert fake_wechat.calls_to("stable_token")[1]["json"]["force_refresh"] is True


def test_token_errors_never_loop(fake_wechat, store):
    client = client_for(fake_wechat, store)
    fake_wechat.fail_next("message/custom/send", 40001, 42001, 40001, 40001)
    with pytest.raises(WeChatClientException) as caught:
        client.message.send_text(new_openid(), "hello")
    assert caught.value.errcode == 42001
    assert len(fake_wechat.calls_to("message/custom/send")) == 2  # the call and one retry
    assert len(fake_wechat.calls_to("stable_token")) == 2  # the first token and one refresh


def test_customer_service_window_holds_five_messages(fake_wechat, store):
    client = client_for(fake_wechat, store)
    service = CustomerService(client, store, "wechat:test", busy_pause=0.01)
    openid, user = new_openid(), "user-" + uuid.uuid4().hex[:6]
    assert service.send(openid, user, ["never wrote"]).kept == 1  # no window: kept, not sent
    assert fake_wechat.calls_to("message/custom/send") == []
    assert service.user_wrote(user) == ["never wrote"]
    report = service.send(openid, user, [f"part {i}" for i in range(7)])
    assert (report.sent, report.kept) == (5, 2)
    assert fake_wechat.sent_texts(openid) == [f"part {i}" for i in range(5)]
    assert service.user_wrote(user) == ["part 5", "part 6"]  # due with the user's next message
    assert service.user_wrote(user) == []


@pytest.mark.parametrize("code", [45015, 45047])
def test_window_errors_keep_the_rest_for_later(fake_wechat, store, code):
    client = client_for(fake_wechat, store)
    service = CustomerService(client, store, "wechat:test", busy_pause=0.01)
    openid, user = new_openid(), "user-" + uuid.uuid4().hex[:6]
    service.user_wrote(user)
    client.message.send_text(openid, "warm-up")  # a token exists; the next send gets the error
    fake_wechat.fail_next("message/custom/send", code)
    report = service.send(openid, user, ["a", "b", "c"])
    assert (report.sent, report.kept, report.errors) == (0, 3, [code])
    assert service.user_wrote(user) == ["a", "b", "c"]


def test_busy_is_retried_once_then_kept(fake_wechat, store):
    client = client_for(fake_wechat, store)
    service = CustomerService(client, store, "wechat:test", busy_pause=0.01)
    openid, user = new_openid(), "user-" + uuid.uuid4().hex[:6]
    service.user_wrote(user)
    fake_wechat.fail_next("message/custom/send", -1)
    assert service.send(openid, user, ["once busy"]).sent == 1
    fake_wechat.fail_next("message/custom/send", -1, -1)
    report = service.send(openid, user, ["twice busy", "after"])
    assert (report.sent, report.kept) == (0, 2)
    assert fake_wechat.sent_texts(openid) == ["once busy"]


def test_kept_messages_go_out_with_the_users_next_message(make_gateway, openid):
    """End to end: the answer hits 45015, then leads the answer to the user's next message."""
    gw = make_gateway("safe", delay=0.6, wechat_reply_budget_seconds=0.2)
    gw.fake.fail_next("message/custom/send", 45015)
    assert gw.post(text_xml(openid, "你好"), openid).text == "success"
    deadline = time.monotonic() + 10
    while not gw.fake.calls_to("message/custom/send") and time.monotonic() < deadline:
        time.sleep(0.05)
    refused = gw.fake.calls_to("message/custom/send")[0]
    assert refused["ok"] is False
    assert gw.post(text_xml(openid, "再见"), openid).text == "success"
    sent = gw.fake.wait_for("message/custom/send", 2)
    assert sent[0]["json"]["text"]["content"] == refused["json"]["text"]["content"]
    assert sent[1]["json"]["text"]["content"] != refused["json"]["text"]["content"]


def test_two_gateways_on_redis_share_one_token(make_gateway):
    first = make_gateway("safe", delay=0.5, wechat_reply_budget_seconds=0.1)
    second = make_gateway(delay=0.5, like=first)
    users = [new_openid(), new_openid()]
    results = []
    posts = [threading.Thread(target=lambda gw=gw, u=u: results.append(gw.post(text_xml(u, "你好"), u).text))
             for gw, u in zip((first, second), users)]
    for thread in posts:
        thread.start()
    for thread in posts:
        thread.join()
    assert results == ["success", "success"]
    sent = first.fake.wait_for("message/custom/send", 2)
    assert {c["json"]["touser"] for c in sent} == set(users)
    assert len(first.fake.calls_to("stable_token")) == 1
    assert len({c["params"]["access_token"] for c in sent}) == 1


def test_template_fields_are_clipped_to_twenty_characters(fake_wechat, store):
    client = client_for(fake_wechat, store)
    openid = new_openid()
    result = send_template(client, openid, "TEMPLATE_1", {"first": "您的办件进度有更新" * 4, "keyword1": "SZ2024001234"})
    assert result["errcode"] == 0 and result["msgid"]
    data = fake_wechat.calls_to("message/template/send")[0]["json"]["data"]
    assert len(data["first"]["value"]) == 20 and data["first"]["value"].endswith("…")
    assert data["keyword1"]["value"] == "SZ2024001234"
    assert clip_field("a" * 20) == "a" * 20


def test_menu_keys_are_known_and_the_menu_fits_wechat():
    keys = [b["key"] for top in MENU["button"] for b in top["sub_button"]]
    assert len(MENU["button"]) <= 3 and all(len(t["sub_button"]) <= 5 for t in MENU["button"])
    assert all(k in CLICKS or k == "help" for k in keys)
    assert all(len(t["name"].encode()) <= 16 for t in MENU["button"])
    from assistant.core.topics import TOPICS

    assert all(topic in TOPICS for topic, _ in CLICKS.values())


@pytest.mark.slow
def test_cli_pushes_the_menu(fake_wechat, base_env):
    env = dict(base_env, CIVIC_WECHAT_APP_ID=fake_wechat.app_id, CIVIC_WECHAT_APP_SECRET=fake_wechat.secret,
               CIVIC_WECHAT_API_BASE=fake_wechat.url)
    done = subprocess.run([sys.executable, "-m", "assistant", "wechat", "menu"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "menu pushed" in done.stdout
    assert fake_wechat.calls_to("menu/create")[0]["json"] == MENU
    fake_wechat.fail_next("menu/create", 40018)
    failed = subprocess.run([sys.executable, "-m", "assistant", "wechat", "menu"], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert failed.returncode == 2 and "40018" in failed.stderr
