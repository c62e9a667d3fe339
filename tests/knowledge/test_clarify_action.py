"""Low confidence: the guide action offers the two likeliest matters, and staff after two misses.

Driven through the real action server's webhook with the tracker Rasa would send, so the
ranking is exactly the low-confidence case (a live model rarely lands there on purpose).
"""

from __future__ import annotations

import httpx

from assistant.core.rasa_backend import action_headers


def tracker(text: str, ranking, misses: float = 0, lang: str = "zh") -> dict:
    return {
        "sender_id": "clarify-test",
        "slots": {"language": lang, "mode": "standard", "misses": misses, "topic": None, "matter": None},
        "latest_message": {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.45},
                           "intent_ranking": ranking, "entities": []},
        "events": [], "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    }


def call(action_server: str, token: str, body: dict) -> dict:
    response = httpx.post(action_server, json={"next_action": "action_guide", "tracker": body,
                                               "domain": {"responses": {}}, "version": "3.6.2"},
                          headers=action_headers(token))
    assert response.status_code == 200, response.text
    return response.json()


RANKING = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "medical_insurance", "confidence": 0.41},
           {"name": "greet", "confidence": 0.2}, {"name": "social_security", "confidence": 0.19}]


def test_first_miss_offers_the_two_likeliest_matters(action_server, test_settings):
    result = call(action_server, test_settings.action_token, tracker("那个保险的事情", RANKING))
    buttons = result["responses"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/medical_insurance", "/social_security"]
    slots = {e["name"]: e["value"] for e in result["events"] if e["event"] == "slot"}
    assert slots["topic"] == "medical_insurance" and slots["misses"] == 1
    assert not any("/human_handoff" in str(r) for r in result["responses"])


def test_second_miss_offers_staff(action_server, test_settings):
    result = call(action_server, test_settings.action_token, tracker("还是那个保险", RANKING, misses=1, lang="en"))
    assert "Did you mean" in result["responses"][0]["text"]
    assert any(b["payload"] == "/human_handoff" for r in result["responses"] for b in r.get("buttons", []))
    slots = {e["name"]: e["value"] for e in result["events"] if e["event"] == "slot"}
    assert slots["misses"] == 0


def test_out_of_scope_guess_gets_the_polite_answer(action_server, test_settings):
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "out_of_scope", "confidence": 0.4}]
    result = call(action_server, test_settings.action_token, tracker("讲个冷笑话嘛", ranking))
    first = result["responses"][0]
    assert "12345" in (first.get("text") or "") or first.get("response") == "utter_out_of_scope"
    slots = {e["name"]: e["value"] for e in result["events"] if e["event"] == "slot"}
    assert slots["topic"] == "out_of_scope"
