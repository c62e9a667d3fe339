"""A reply longer than a phone screen goes out as several bubbles, nothing cut (issue 14, point 9)."""

from __future__ import annotations

from assistant.core.turns import SCREEN_EN_WORDS, SCREEN_ZH_CHARS, Reply, fit_to_screen

STAFF = [{"title": "Talk to staff", "payload": "/human_handoff"}]


def test_a_long_english_reply_is_cut_between_sentences_and_keeps_every_word():
    text = " ".join(f"Sentence number {i} tells one more fact about the hall." for i in range(12))
    bubbles = fit_to_screen([Reply(text, STAFF, {"checklist": 1})], "en")
    assert len(bubbles) > 1
    assert all(len(b.text.split()) <= SCREEN_EN_WORDS and b.text.endswith(".") for b in bubbles)
    assert " ".join(b.text for b in bubbles).split() == text.split()
    assert bubbles[-1].buttons == STAFF and not bubbles[0].buttons and bubbles[0].custom == {"checklist": 1}


def test_a_numbered_list_is_never_cut_between_a_number_and_its_item():
    intro = " ".join(["Someone in the family can apply for an older person who cannot come."] * 4)
    text = intro + " Documents to bring:\n 1. The senior's ID card (original)\n 2. Hukou booklet (original)"
    bubbles = fit_to_screen([Reply(text)], "en")
    assert len(bubbles) > 1 and all(not b.text.rstrip().endswith(("1.", "2.")) for b in bubbles)
    assert any("1. The senior's ID card" in b.text for b in bubbles)
    assert " ".join(b.text for b in bubbles).split() == text.split()


def test_a_long_chinese_reply_is_cut_after_a_full_stop():
    text = "".join(f"第{i}件事要带身份证和户口簿，到A区窗口办理。" for i in range(20))
    bubbles = fit_to_screen([Reply(text)], "zh")
    assert len(bubbles) > 1 and all(len(b.text) <= SCREEN_ZH_CHARS and b.text.endswith("。") for b in bubbles)
    assert "".join(b.text for b in bubbles) == text


def test_a_short_reply_is_left_alone():
    reply = Reply("要带身份证。", STAFF)
    assert fit_to_screen([reply], "zh") == [reply]
