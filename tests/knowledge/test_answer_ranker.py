"""The answer ranker (knowledge/semantic.py) with the real sentence encoder: a follow-up finds the
answer of the current subject it asks for, in either language, worded unlike the catalogue."""

from __future__ import annotations

import pytest

from knowledge.catalogue import get_catalogue
from knowledge.embedding_cache import EmbeddingCache
from knowledge.semantic import ASPECT_QUESTIONS, AnswerRanker, get_matcher, get_ranker


def top(text: str, matters: list, lang: str, aspect=None) -> str:
    best = get_ranker().rank(text, matters, lang, aspect, get_matcher())[0]
    return best.aspect or best.qa.q.zh


@pytest.mark.parametrize("text,lang,matter,expected", [
    ("几号发钱", "zh", "pension_claim", "退休了养老金什么时候开始发？"),
    ("得带啥证件去", "zh", "passport", "materials"),
    ("窗口在哪儿", "zh", "id_card", "where"),
    ("what do I have to take along", "en", "residence_permit", "materials"),
    ("is the bus free with it", "en", "elderly_allowance", "老年卡坐公交免费吗？"),
    # the follow-up's own words settle what the encoder cannot tell apart (knowledge/overlap.py)
    ("坐公交免费不", "zh", "elderly_allowance", "老年卡坐公交免费吗？"),
    ("how do I get the electronic one", "en", "social_security_card", "电子社保卡怎么领？"),
    # an answer that states the kind of fact asked for (knowledge/answer_types.py)
    ("认证隔多长时间做一次", "zh", "pension_certification", "多久认证一次？"),
    ("is it once a year", "en", "pension_certification", "多久认证一次？"),
    ("what if I miss it", "en", "pension_certification", "忘了认证养老金停了怎么办？"),
    ("办下来对我有啥好处", "zh", "residence_permit", "居住证有什么用？"),
    ("what do I get from having one", "en", "residence_permit", "居住证有什么用？"),
])
def test_a_follow_up_finds_the_answer_it_asks_for(text, lang, matter, expected):
    assert top(text, [matter], lang) == expected


def test_the_words_aspect_tips_a_close_call_but_the_answer_can_still_win():
    ranker, matcher = get_ranker(), get_matcher()
    plain = ranker.rank("多久", ["id_card"], "zh", None, matcher)
    named = ranker.rank("多久", ["id_card"], "zh", "time", matcher)
    assert named[0].aspect == "time"
    assert max(c.score for c in named if c.aspect == "time") > max(c.score for c in plain if c.aspect == "time")


def test_only_the_subjects_answers_compete():
    ranked = get_ranker().rank("多少钱", ["passport", "id_card"], "zh", "fee", get_matcher())
    assert {c.matter for c in ranked} == {"passport", "id_card"}
    assert ranked == sorted(ranked, key=lambda c: -c.score)


def test_embedded_answers_are_kept_on_disk_and_read_back_without_the_encoder(tmp_path):
    catalogue = get_catalogue()

    def render(matter, aspect, lang):
        return f"{matter.name(lang)} {aspect}"

    AnswerRanker(catalogue, render, tmp_path).rank("多少钱", ["passport"], "zh", None, get_matcher())
    path = tmp_path / "e5-small-passage.npz"
    assert path.exists()

    def refuse(texts):
        raise AssertionError(f"recomputed {texts}")

    texts = [render(catalogue.matters["passport"], aspect, "zh") for aspect in ASPECT_QUESTIONS]
    assert EmbeddingCache(path, refuse, "passage").vectors(texts).shape == (len(texts), 384)

