"""Held-out evaluation of understanding and search (``python bench/nlu_eval.py``).

Topic accuracy and macro-F1 per language and per style (colloquial, elderly, asr, typo, mixed,
oos) on ``tests/heldout/nlu_*.yml``, out-of-scope recall, and search quality (P@1, success@3,
MRR) on ``tests/heldout/search_queries.yml``. The topic of a low-confidence turn is decided the
way the assistant decides it (``knowledge.dialogue.clarify``: the model's ranking plus a strong
catalogue search hit), so the numbers are what the chat API would report.

The held-out files are never trained on; this script fails if any of their texts appears in
``data/``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core.topics import topic_for  # noqa: E402
from knowledge.dialogue import clarify  # noqa: E402
from knowledge.search import get_index  # noqa: E402

HELDOUT = ROOT / "tests" / "heldout"


def _norm(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text.lower())


def training_texts(data_dir: Path) -> set:
    texts = set()
    for path in data_dir.rglob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("- ") and not line.startswith("- intent:"):
                texts.add(_norm(line[2:]))
    return texts


def load_examples(lang: str, prefix: str = "nlu") -> List[dict]:
    return yaml.safe_load((HELDOUT / f"{prefix}_{lang}.yml").read_text(encoding="utf-8"))["examples"]


def predicted_topic(text: str, parse: dict) -> str:
    intent = (parse.get("intent") or {}).get("name")
    if intent == "nlu_fallback":
        return clarify(text, parse.get("intent_ranking") or [], get_index()).best_topic
    return topic_for(intent, None, False)


def macro_f1(pairs: List[Tuple[str, str]]) -> float:
    labels = {gold for gold, _ in pairs}
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def accuracy(pairs: Iterable[Tuple[str, str]]) -> float:
    pairs = list(pairs)
    return sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0


def search_quality() -> Dict[str, float]:
    queries = yaml.safe_load((HELDOUT / "search_queries.yml").read_text(encoding="utf-8"))["queries"]
    index = get_index()
    p1 = s3 = rr = 0.0
    precision3 = 0.0
    for query in queries:
        ids = [h.id for h in index.search(query["q"], query["lang"], limit=3)]
        if ids[:1] == [query["expect"]]:
            p1 += 1
        if query["expect"] in ids:
            s3 += 1
            rr += 1 / (ids.index(query["expect"]) + 1)
            precision3 += 1 / len(ids)  # of what was shown in the top 3, the share that is right
    n = len(queries)
    return {"queries": n, "p_at_1": p1 / n, "precision_at_3": precision3 / n, "success_at_3": s3 / n,
            "mrr": rr / n}


async def parse_all(model: Path, texts: List[str]) -> List[dict]:
    from rasa.core.agent import Agent

    from assistant.logs import quiet_rasa

    quiet_rasa()
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def evaluate(model: Path, show_errors: bool = False, prefix: str = "nlu") -> dict:
    seen = training_texts(ROOT / "data")
    report: dict = {"model": model.name, "languages": {}}
    for lang in ("zh", "en"):
        examples = load_examples(lang, prefix)
        leaked = [e["text"] for e in examples if _norm(e["text"]) in seen]
        if leaked:
            raise SystemExit(f"held-out examples found in training data: {leaked}")
        parses = asyncio.run(parse_all(model, [e["text"] for e in examples]))
        pairs = []
        by_style: Dict[str, List[Tuple[str, str]]] = defaultdict(list)
        for example, parse in zip(examples, parses):
            predicted = predicted_topic(example["text"], parse)
            pairs.append((example["topic"], predicted))
            by_style[example["style"]].append((example["topic"], predicted))
            if show_errors and predicted != example["topic"]:
                print(f"  [{lang}/{example['style']}] {example['text']!r}: expected {example['topic']}, "
                      f"got {predicted} ({(parse.get('intent') or {}).get('name')} "
                      f"{(parse.get('intent') or {}).get('confidence', 0):.2f}; ranking "
                      + ", ".join(f"{r['name']} {r['confidence']:.2f}" for r in (parse.get("intent_ranking") or [])[:4])
                      + ")")
        oos = [(g, p) for g, p in pairs if g == "out_of_scope"]
        in_scope = [(g, p) for g, p in pairs if g != "out_of_scope"]
        report["languages"][lang] = {
            "examples": len(pairs),
            "accuracy": accuracy(pairs),
            "in_scope_accuracy": accuracy(in_scope),
            "macro_f1": macro_f1(pairs),
            "out_of_scope_recall": accuracy(oos),
            "false_out_of_scope": sum(1 for g, p in in_scope if p == "out_of_scope"),
            "styles": {style: {"n": len(v), "accuracy": accuracy(v), "macro_f1": macro_f1(v)}
                       for style, v in sorted(by_style.items())},
        }
    report["search"] = search_quality()
    return report


def print_report(report: dict) -> None:
    print(f"model {report['model']}")
    for lang, r in report["languages"].items():
        print(f"[{lang}] n={r['examples']} accuracy={r['accuracy']:.3f} macro-F1={r['macro_f1']:.3f} "
              f"in-scope={r['in_scope_accuracy']:.3f} out-of-scope recall={r['out_of_scope_recall']:.3f} "
              f"false out-of-scope={r['false_out_of_scope']}")
        for style, s in r["styles"].items():
            print(f"    {style:<10} n={s['n']:<3} accuracy={s['accuracy']:.3f} macro-F1={s['macro_f1']:.3f}")
    s = report["search"]
    print(f"[search] n={s['queries']} P@1={s['p_at_1']:.3f} precision@3={s['precision_at_3']:.3f} "
          f"success@3={s['success_at_3']:.3f} MRR={s['mrr']:.3f}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model archive (default: train or reuse the current one)")
    parser.add_argument("--errors", action="store_true", help="print every mistake")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--set", default="nlu", choices=("nlu", "fresh"),
                        help="held-out set: nlu (main) or fresh (written after tuning, never tuned on)")
    args = parser.parse_args(argv)
    model = args.model
    if model is None:
        from assistant.core.model_store import ensure_model
        from assistant.settings import get_settings

        model = ensure_model(get_settings().model_dir)
    report = evaluate(model, show_errors=args.errors, prefix=args.set)
    print(json.dumps(report, indent=2)) if args.json else print_report(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
