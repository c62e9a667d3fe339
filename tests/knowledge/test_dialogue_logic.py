"""Pure dialogue decisions: aspects, ratings, clarification, elderly replies."""

from __future__ import annotations

import pytest

from knowledge import replies
from knowledge.catalogue import get_catalogue
from knowledge.dialogue import clarify, parse_rating
from knowledge.search import get_index


@pytest.mark.parametrize("text, rating", [
    ("打五分", 5), ("5", 5), ("非常满意", 5), ("不满意", 2), ("一般般吧", 3), ("I'd give it 4 out of 5", 4),
    ("差评", 1), ("给三分", 3), ("no idea", None),
])
def test_parse_rating(text, rating):
    assert parse_rating(text) == rating


def test_button_entity_wins():
    assert parse_rating("", "2") == 2


def test_clarify_offers_two_matters_and_a_best_guess():
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "social_security", "confidence": 0.4},
               {"name": "greet", "confidence": 0.3}, {"name": "pension_certification", "confidence": 0.2}]
    decision = clarify("那个保险的事", ranking, get_index())
    assert decision.candidates == ["social_security", "pension_certification"]
    assert decision.best_topic == "social_security" and not decision.out_of_scope


def test_clarify_trusts_a_strong_search_hit():
    ranking = [{"name": "nlu_fallback"}, {"name": "greet"}, {"name": "passport"}]
    decision = clarify("身份正", ranking, get_index())
    assert decision.best_topic == "id_card" and decision.candidates[:2] == ["id_card", "passport"]


def test_clarify_out_of_scope():
    decision = clarify("讲个笑话", [{"name": "nlu_fallback"}, {"name": "out_of_scope"}], get_index())
    assert decision.out_of_scope and decision.best_topic == "out_of_scope"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_elderly_messages_are_one_short_step(lang):
    catalogue = get_catalogue()
    for matter in catalogue.matters.values():
        standard = replies.overview(matter, lang)
        first = replies.elderly_step(matter, lang, 0)
        assert len(first.text) < len(standard.text)
        titles = [b["payload"] for b in first.buttons]
        assert "/repeat" in titles and "/human_handoff" in titles
        steps = replies.elderly_steps(matter, lang)
        assert max(len(s) for s in steps) < (160 if lang == "en" else 80)


def test_materials_list_says_original_or_copy():
    matter = get_catalogue().matter("birth_registration")
    assert "原件和复印件" in replies.materials(matter, "zh").text
    assert "original and a copy" in replies.materials(matter, "en").text
