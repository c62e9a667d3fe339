"""The chat API contract, the Rasa REST-webhook contract and every kind of bad input."""


import pytest

from tests.conftest import new_sender


def chat(client, message, **extra):
    return client.post("/api/v1/chat", json={"sender": extra.pop("sender", new_sender()),
                                             "message": message, **extra})


def test_chinese_greeting_gets_a_chinese_reply(client):
    response = chat(client, "你好")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"sender", "lang", "replies", "topic", "intent", "confidence", "form"}
    assert body["lang"] == "zh"
    assert body["topic"] == "greet" and body["intent"] == "greet"
    assert 0.0 <= body["confidence"] <= 1.0
    assert body["replies"] and all(set(r) >= {"text", "buttons"} for r in body["replies"])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["replies"][0]["text"])


def test_english_greeting_gets_an_english_reply(client):
    body = chat(client, "hello there").json()
    assert body["lang"] == "en"
    assert body["topic"] == "greet"
    assert body["replies"][0]["text"].isascii()


def test_lang_override_beats_detection(client):
    body = chat(client, "你好", lang="en").json()
    assert body["lang"] == "en"
    assert body["replies"][0]["text"].isascii()


def test_language_follows_the_user_within_one_conversation(client):
    sender = new_sender()
    assert chat(client, "hello", sender=sender).json()["lang"] == "en"
    assert chat(client, "你好", sender=sender).json()["lang"] == "zh"
    # a message with no words (a number) keeps the language the person was using
    chat(client, "good morning", sender=sender)
    assert chat(client, "12345", sender=sender).json()["lang"] == "en"


def test_out_of_scope_is_named_as_such(client):
    body = chat(client, "tell me a joke about cats").json()
    assert body["topic"] == "out_of_scope"
    assert body["replies"]


def test_repeat_says_the_previous_answer_again(client):
    sender = new_sender()
    first = chat(client, "hello", sender=sender).json()["replies"]
    again = chat(client, "say that again please", sender=sender).json()
    assert again["topic"] == "repeat"
    assert [r["text"] for r in again["replies"]] == [r["text"] for r in first]


@pytest.mark.parametrize(
    "payload, fragment",
    [
        ({"message": "hi"}, "sender"),
        ({"sender": "a"}, "message"),
        ({"sender": "", "message": "hi"}, "sender"),
        ({"sender": "a", "message": ""}, "message"),
        ({"sender": "a", "message": "   "}, "message"),
        ({"sender": "a", "message": "x" * 2001}, "message"),
        ({"sender": "a", "message": "hi", "lang": "fr"}, "lang"),
        ({"sender": "a", "message": "hi", "mode": "turbo"}, "mode"),
        ({"sender": "a", "message": 42}, "message"),
    ],
)
def test_bad_input_is_a_clear_422(client, payload, fragment):
    response = client.post("/api/v1/chat", json=payload)
    assert response.status_code == 422
    assert fragment in response.json()["error"]


def test_non_json_body_is_a_clear_422(client):
    response = client.post("/api/v1/chat", content=b"this is not json",
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "error" in response.json()


def test_json_under_another_content_type_is_refused(client):
    # a form or text/plain POST is what another site's page can send without asking (issue 15)
    response = client.post("/api/v1/chat", content=b'{"sender": "a1", "message": "hello"}',
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415


def test_bad_input_loses_no_earlier_turns(client):
    sender = new_sender()
    first = chat(client, "hello", sender=sender).json()["replies"]
    assert chat(client, "x" * 5000, sender=sender).status_code == 422
    again = chat(client, "repeat that", sender=sender).json()["replies"]
    assert [r["text"] for r in again] == [r["text"] for r in first]


def test_exactly_2000_characters_is_accepted(client):
    assert chat(client, "你" * 2000).status_code == 200


def test_rest_webhook_speaks_rasas_contract(client):
    sender = new_sender()
    response = client.post("/webhooks/rest/webhook", json={"sender": sender, "message": "hello"})
    assert response.status_code == 200
    messages = response.json()
    assert isinstance(messages, list) and messages
    assert all(m["recipient_id"] == sender and m["text"] for m in messages)


def test_rest_webhook_without_sender_still_answers(client):
    response = client.post("/webhooks/rest/webhook", json={"message": "你好"})
    assert response.status_code == 200
    assert response.json()[0]["text"]


def test_rest_webhook_rejects_missing_message(client):
    assert client.post("/webhooks/rest/webhook", json={"sender": "x"}).status_code == 422


def test_health_and_docs(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert client.get("/docs").status_code == 404  # no Swagger page: it would load from a CDN
    assert "/api/v1/chat" in client.get("/openapi.json").json()["paths"]
