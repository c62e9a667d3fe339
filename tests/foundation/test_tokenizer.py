"""The bilingual tokenizer: jieba for Chinese, word rules for Latin, digits and codes intact."""

from pathlib import Path

import pytest

from assistant.nlu.tokens import TokenSplitter


@pytest.fixture(scope="module")
def splitter() -> TokenSplitter:
    return TokenSplitter()


def words(splitter: TokenSplitter, text: str) -> list:
    return [w for w, _ in splitter.split(text)]


def test_pure_chinese_is_segmented_into_words(splitter):
    tokens = words(splitter, "我想办理身份证")
    assert "身份证" in tokens
    assert "".join(tokens) == "我想办理身份证"


def test_pure_english_keeps_words_and_contractions(splitter):
    assert words(splitter, "How do I renew my passport? I don't know.") == [
        "How", "do", "I", "renew", "my", "passport", "I", "don't", "know",
    ]


def test_mixed_text_splits_at_script_boundaries(splitter):
    tokens = words(splitter, "我想办passport，需要ID card吗")
    assert "passport" in tokens and "ID" in tokens and "card" in tokens
    assert "我" in tokens and "需要" in tokens
    assert not any("passport" in t and t != "passport" for t in tokens)


def test_case_numbers_and_digits_stay_whole(splitter):
    tokens = words(splitter, "案件号SZ2024001234，手机尾号5678")
    assert "SZ2024001234" in tokens
    assert "5678" in tokens


def test_offsets_point_at_the_token_in_the_original_text(splitter):
    text = "hello 你好 SZ2024001234!"
    for word, start in splitter.split(text):
        assert text[start : start + len(word)] == word


def test_punctuation_and_whitespace_produce_no_tokens(splitter):
    assert words(splitter, " ，。！？  ... ") == []


def test_user_dictionary_keeps_service_terms_together(tmp_path: Path):
    plain = words(TokenSplitter(), "我要办养老资格认证")
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("养老资格认证 100 n\n", encoding="utf-8")
    tuned = words(TokenSplitter(dictionary), "我要办养老资格认证")
    assert "养老资格认证" in tuned
    assert "养老资格认证" not in plain
