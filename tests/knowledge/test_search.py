"""Search works the way people type: synonyms, colloquial words, typos, homophones, both languages."""

from __future__ import annotations

import pytest

from knowledge.search import fuzzy_syllable, get_index


@pytest.mark.parametrize("query, expected", [
    ("户口", "household_registration"),              # colloquial name for hukou transfer
    ("身份正丢了", "id_card"),                       # homophone from speech input
    ("驾造到期", "driver_license"),                   # zh/z accent folding
    ("营也执照", "business_license"),                 # typo
    ("老年卡", "elderly_allowance"),                  # synonym
    ("prove I'm alive", "pension_certification"),    # colloquial English
    ("pasport renewal", "passport"),                 # English typo
    ("I lost my identty card", "id_card"),
    ("my 医保 card", "medical_insurance"),           # mixed languages
    ("we just had a baby", "having_a_baby"),
])
def test_ranked_first(query, expected):
    hits = get_index().search(query, "zh")
    assert hits and hits[0].id == expected, [(h.id, h.score) for h in hits]


def test_results_are_ranked_and_named_in_the_requested_language():
    hits = get_index().search("户口", "en")
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].name == "Household registration (hukou) transfer"


def test_unrelated_query_finds_nothing():
    assert get_index().search("明天天气怎么样") == []
    assert get_index().search("tell me a joke") == []


def test_accent_folding():
    assert fuzzy_syllable("zhao") == fuzzy_syllable("zao")
    assert fuzzy_syllable("lao") == fuzzy_syllable("nao")
    assert fuzzy_syllable("zheng") == fuzzy_syllable("zhen")


@pytest.mark.parametrize("query, matter, expected_fragment", [
    ("可以让我女儿帮我办吗", "pension_certification", "子女"),
    ("do I need the original", "id_card", "原件"),
    ("can my son do the pension check for me", "pension_certification", "子女"),
    ("我走不动路", "pension_certification", "卧床"),
])
def test_questions_are_answered_from_the_catalogue(query, matter, expected_fragment):
    answer = get_index().best_answer(query, matter)
    assert answer is not None and answer.matter == matter
    assert expected_fragment in answer.qa.q.zh


def test_naming_a_matter_is_not_a_question():
    assert get_index().best_answer("护照怎么办", "passport") is None
