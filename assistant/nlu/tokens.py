"""Split mixed Chinese/English text into word tokens with their character offsets.

Rasa's JiebaTokenizer hands Latin text to jieba, which splits "passport" off punctuation badly
and glues digits to Chinese; WhitespaceTokenizer cannot split Chinese at all. Here each script
run gets the right treatment: jieba for CJK runs, a word pattern for Latin and digit runs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, List, Optional, Tuple

import jieba

Span = Tuple[str, int]  # (token text, start offset in the original string)

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Latin words (with inner apostrophes/hyphens/dots: "don't", "e-mail", "a.m."), codes that mix
# letters and digits ("SZ2024001234", "5G"), and numbers (with separators: "1,000", "3.5").
_LATIN_OR_NUMBER = re.compile(
    r"[A-Za-z0-9]+(?:['’\-.][A-Za-z0-9]+)*|[０-９Ａ-Ｚａ-ｚ]+"
)


class TokenSplitter:
    """Owns one jieba instance so a user dictionary never leaks into other jieba users."""

    def __init__(self, user_dictionary: Optional[Path] = None) -> None:
        self._jieba = jieba.Tokenizer()
        if user_dictionary and Path(user_dictionary).exists():
            self._jieba.load_userdict(str(user_dictionary))

    def split(self, text: str) -> List[Span]:
        """Tokens in order of appearance; punctuation and whitespace are dropped."""
        spans: List[Span] = []
        position = 0
        for match in _CJK_RUN.finditer(text):
            spans.extend(_latin_spans(text[position : match.start()], position))
            spans.extend(self._cjk_spans(match.group(), match.start()))
            position = match.end()
        spans.extend(_latin_spans(text[position:], position))
        return spans

    def _cjk_spans(self, run: str, offset: int) -> Iterable[Span]:
        for word, start, _end in self._jieba.tokenize(run, HMM=True):
            if word.strip():
                yield word, offset + start


def _latin_spans(chunk: str, offset: int) -> Iterable[Span]:
    for match in _LATIN_OR_NUMBER.finditer(chunk):
        yield match.group(), offset + match.start()
