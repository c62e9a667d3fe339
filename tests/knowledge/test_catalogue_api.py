"""The catalogue API: list, one matter, life-event checklist, search; clear 404 and 422."""

from __future__ import annotations

from assistant.core.topics import LIFE_EVENTS, MATTERS


def test_list_has_every_matter_in_both_languages(client):
    body = client.get("/api/v1/matters").json()
    # imported matters (issue 17) are listed after these, with source "imported"
    assert {m["id"] for m in body["matters"] if m["source"] == "catalogue"} == set(MATTERS)
    assert len({m["id"] for m in body["matters"]}) == len(body["matters"])
    assert all(m["name"]["zh"] and m["name"]["en"] for m in body["matters"])
    assert {e["id"] for e in body["life_events"]} == set(LIFE_EVENTS)


def test_one_matter_in_full(client):
    body = client.get("/api/v1/matters/pension_certification").json()
    assert body["id"] == "pension_certification"
    assert body["materials"] and body["faq"] and body["legal_basis"] and body["where"]["window"]["zh"]


def test_unknown_ids_are_404_with_a_clear_message(client):
    response = client.get("/api/v1/matters/visa")
    assert response.status_code == 404 and "visa" in response.json()["error"]
    response = client.get("/api/v1/life-events/winning_the_lottery")
    assert response.status_code == 404 and "winning_the_lottery" in response.json()["error"]


def test_life_event_checklist(client):
    body = client.get("/api/v1/life-events/moving_to_the_city", params={"lang": "en"}).json()
    assert [s["matter"] for s in body["steps"]] == ["residence_permit", "social_security", "household_registration"]
    ids = [m["material_id"] for m in body["materials"]]
    assert len(ids) == len(set(ids)) and "id_card_original" in ids


def test_search_both_languages(client):
    zh = client.get("/api/v1/search", params={"q": "身份正", "lang": "zh"}).json()
    assert zh["results"][0]["id"] == "id_card" and zh["results"][0]["name"] == "居民身份证办理"
    en = client.get("/api/v1/search", params={"q": "prove I'm alive", "lang": "en"}).json()
    assert en["results"][0]["id"] == "pension_certification"


def test_search_rejects_bad_input(client):
    assert client.get("/api/v1/search", params={"q": "  "}).status_code == 422
    assert client.get("/api/v1/search").status_code == 422
    assert client.get("/api/v1/search", params={"q": "x", "lang": "fr"}).status_code == 422
