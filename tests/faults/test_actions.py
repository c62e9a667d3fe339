"""Action server down: no 200 with empty replies but an apology with the hotline, /readyz not
ready; once it is back, the same question is answered without restarting the gateway."""

from __future__ import annotations

from tests.faults.conftest import Stack
from tests.faults.helpers import PASSPORT_EN, chat, sender


def test_action_server_down_apologises_and_readyz_says_so(stack: Stack) -> None:
    assert chat(stack.http, PASSPORT_EN).json()["replies"]  # answered by a custom action
    stack.actions.stop()
    try:
        body = stack.wait_not_ready("actions")
        assert "actions" in body["problems"]

        who = sender(stack.http)
        answer = chat(stack.http, PASSPORT_EN, who)
        assert answer.status_code == 503, answer.text
        assert answer.json()["lang"] == "en" and "12345" in answer.json()["replies"][0]["text"]
        zh = chat(stack.http, "护照过期了怎么换", who)
        assert zh.status_code == 503 and "12345" in zh.json()["replies"][0]["text"]

        # every chat turn now goes through the guide (a custom action), so a greeting gets the
        # apology too; what the gateway answers itself (the catalogue) keeps working
        hello = chat(stack.http, "hello")
        assert hello.status_code == 503 and "12345" in hello.json()["replies"][0]["text"]
        search = stack.http.get("/api/v1/search", params={"q": "passport"})
        assert search.status_code == 200 and search.json()["results"]
    finally:
        stack.actions.start(timeout=90)

    stack.wait_ready(timeout=30)
    answer = chat(stack.http, PASSPORT_EN, who)  # the same person, the same question: answered
    assert answer.status_code == 200 and answer.json()["replies"]
    assert "12345" not in answer.json()["replies"][0]["text"]
