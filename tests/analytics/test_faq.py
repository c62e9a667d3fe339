"""FAQ grouping puts obviously similar questions together and different ones apart, per language."""

from __future__ import annotations

from analytics.faq import cluster, group_of, tokens_en, tokens_zh

THEMES = {
    "dog": [("zh", "养狗要办证吗", 30), ("zh", "请问养狗办证在哪里", 12), ("zh", "养狗证怎么办理", 9),
            ("zh", "养狗办证要带什么", 4)],
    "noise": [("zh", "楼上装修噪音太吵怎么投诉", 20), ("zh", "晚上噪音投诉打什么电话", 8),
              ("zh", "噪音扰民怎么投诉", 15)],
    "ebike": [("zh", "电动车上牌需要什么材料", 25), ("zh", "电动车上牌在哪里办", 10), ("zh", "你好，电动车怎么上牌", 6)],
    "parking": [("en", "how do I apply for a disabled parking permit", 18),
                ("en", "where to get a disabled parking permit", 7), ("en", "disabled parking permit documents", 5)],
    "work": [("en", "how do I get a work permit for foreigners", 11), ("en", "foreigner work permit application", 9),
             ("en", "renew a work permit for foreigners", 3)],
}


def test_tokenisers_drop_politeness_and_redaction_marks() -> None:
    assert tokens_zh("请问养狗要办证吗？") == tokens_zh("养狗要办证吗")
    assert "养狗" in tokens_zh("养狗要办证吗") and "<CASE>" not in "".join(tokens_zh("案件<CASE>进度"))
    assert tokens_en("Hi, how do I get a DOG license <PHONE>?") == ["dog", "license"]


def test_similar_questions_together_different_apart(spark) -> None:
    rows = [(lang, text, count, 0) for items in THEMES.values() for lang, text, count in items]
    groups = cluster(spark.createDataFrame(rows, "lang string, text string, count bigint, fallbacks int"))
    of = {theme: {id(group_of(groups, text)) for _, text, _ in items} for theme, items in THEMES.items()}
    for theme, ids in of.items():
        assert len(ids) == 1 and all(group_of(groups, t) is not None for _, t, _ in THEMES[theme]), theme
    assert len({next(iter(ids)) for ids in of.values()}) == len(THEMES)  # every theme its own group
    dog = group_of(groups, "养狗要办证吗")
    assert dog.lang == "zh" and dog.size == 55 and dog.distinct == 4
    assert dog.examples[0] == {"text": "养狗要办证吗", "count": 30}
    assert dog.representative in {t for _, t, _ in THEMES["dog"]}
    parking = group_of(groups, "how do I apply for a disabled parking permit")
    assert parking.lang == "en" and parking.size == 30
    assert [g.size for g in groups] == sorted((g.size for g in groups), reverse=True)
    assert len({g.fingerprint for g in groups}) == len(groups)


def test_a_language_without_unanswered_questions_gives_no_groups(spark) -> None:
    rows = [("zh", "养狗要办证吗", 3, 3), ("zh", "养狗办证在哪里", 2, 2)]
    groups = cluster(spark.createDataFrame(rows, "lang string, text string, count bigint, fallbacks int"))
    assert [(g.lang, g.size) for g in groups] == [("zh", 5)]
