"""Rasa's REST channel and the sender it is given (issue 15): a sender the gateway did not issue
is refused, so a made-up or leaked id ("alice", an id seen in a client's log, another channel's
id) cannot read that person's conversation back with "say that again"."""

from __future__ import annotations

from assistant.core.identity import issue_sender
from assistant.logs import pseudonym

WEBHOOK = "/webhooks/rest/webhook"


def test_the_rest_webhook_refuses_a_sender_it_did_not_issue(gateway, limited_settings) -> None:  # type: ignore[no-untyped-def]
    issued = issue_sender(limited_settings.session_secret)
    nonce, signature = issued.rsplit(".", 1)
    for sender in ("alice", "default", "test-abc", f"wechat:{issued}",
                   pseudonym(issued, limited_settings.id_salt),  # what chat.turn logs
                   f"{nonce}x.{signature}", issue_sender("another gateway's secret")):
        response = gateway.post(WEBHOOK, json={"sender": sender, "message": "再说一遍"})
        assert response.status_code == 401, sender
        assert "/api/v1/session" in response.json()["error"]


def test_the_rest_webhook_takes_an_issued_sender(gateway, limited_settings) -> None:  # type: ignore[no-untyped-def]
    sender = issue_sender(limited_settings.session_secret)
    # no Rasa model in this gateway: past the identity check the turn is a polite 503
    response = gateway.post(WEBHOOK, json={"sender": sender, "message": "你好"})
    assert response.status_code != 401, response.text
