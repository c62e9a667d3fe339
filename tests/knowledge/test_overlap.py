"""Word overlap (knowledge/overlap.py): rare shared words count, common ones barely do."""

from knowledge.overlap import Overlap, units

QUESTIONS = ["老年卡坐公交免费吗？", "高龄津贴每月多少钱？", "要交多少钱", "收费吗", "能网上办吗？",
             "Can I apply online?", "Can my family apply for me?", "How do I activate the new card?"]


def test_chinese_is_compared_by_character_pairs_and_latin_words_by_stem():
    assert {"公交", "免费"} <= units("坐公交免费不")
    assert units("activating") == units("activated") == units("activates")
    assert units("APP怎么用") >= {"app", "怎么"}


def test_a_rare_shared_word_outweighs_a_common_one():
    overlap = Overlap(QUESTIONS)
    said = units("坐公交免费不")
    assert overlap.share(said, units("老年卡坐公交免费吗？")) > overlap.share(said, units("收费吗")) + 0.3
    assert 0.0 <= overlap.share(said, units("收费吗")) < 0.5


def test_words_no_question_has_still_count_in_the_total():
    overlap = Overlap(QUESTIONS)
    said = units("can my wife go instead")
    assert overlap.share(said, units("Can my family apply for me?")) < 0.3
    assert overlap.share(units("收费"), units("收费吗")) == 1.0 and overlap.share(frozenset(), units("收费吗")) == 0.0
