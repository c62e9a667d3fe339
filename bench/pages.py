"""Page weight and time to interactive of the web chat and the kiosk in headless Chromium.

    .venv/bin/python bench/pages.py --runs 5 [--url http://127.0.0.1:8000] [--screenshots docs/screenshots]

Without ``--url`` it starts the action server and a gateway (real processes, SQLite, no Redis) on
free ports. Each run opens the page in a fresh browser context (empty cache, like a first visit)
and counts every byte that crossed the network (headers + bodies, as sent: gzipped) until the page
says it is interactive (``body[data-ready]``: handlers bound, kiosk tiles drawn). Time to
interactive is the page's own ``performance.now()`` at that moment, measured from navigation
start. Goals: first load under 300 KB, interactive under 1 s.

``--screenshots DIR`` also saves a small PNG of each page and mode for the README.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import free_port, wait_for_http  # noqa: E402
from tests.pages.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PAGES = {"web chat (/)": "/", "kiosk (/kiosk)": "/kiosk"}
GOAL_BYTES, GOAL_MS = 300 * 1024, 1000


def start_gateway() -> Tuple[str, List[subprocess.Popen]]:
    var = tempfile.mkdtemp(prefix="civic-bench-pages-")
    port, action_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env.update(CIVIC_VAR_DIR=var, CIVIC_PORT=str(port), CIVIC_ACTION_PORT=str(action_port),
               CIVIC_LOG_LEVEL="WARNING", CIVIC_ENVIRONMENT="test")
    actions = subprocess.Popen([sys.executable, "-m", "assistant", "actions"], cwd=ROOT, env=env)
    gateway = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    wait_for_http(f"http://127.0.0.1:{action_port}/health", timeout=120, process=actions)
    wait_for_http(f"{url}/readyz", timeout=180, process=gateway)
    return url, [gateway, actions]


def measure(browser, url: str) -> Dict[str, float]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sizes: List[int] = []
    page.on("requestfinished", lambda request: sizes.append(
        request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]))
    page.goto(url, wait_until="commit")
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    ready_ms = float(page.get_attribute("body", "data-ready-ms"))
    page.wait_for_load_state("networkidle")
    timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}; }""")
    context.close()
    return {"bytes": float(sum(sizes)), "requests": float(len(sizes)), "ready_ms": ready_ms,
            "dcl_ms": timing["dcl"], "load_ms": timing["load"]}


SHOTS = [
    # name, path, viewport, steps
    ("chat-zh", "/", (1024, 700), ["send:你好"]),
    ("chat-en", "/?lang=en", (1024, 700), ["send:hello"]),
    ("chat-large-text", "/", (1024, 700), ["click:#toggle-large", "send:养老金认证"]),
    ("chat-high-contrast", "/", (1024, 700), ["click:#toggle-contrast", "send:你好", "click:#end-chat"]),
    ("chat-320px", "/", (320, 640), ["click:#toggle-large", "send:你好"]),
    ("kiosk-home", "/kiosk", (1280, 800), []),
    ("kiosk-conversation-qr", "/kiosk", (1280, 800), ["tile:pension_certification"]),
    ("kiosk-english", "/kiosk?lang=en", (1280, 800), ["tile:id_card"]),
    ("kiosk-idle-warning", "/kiosk?idle=6", (1280, 800), ["tile:id_card", "idle"]),
    ("kiosk-high-contrast", "/kiosk?contrast=1", (1280, 800), ["tile:medical_insurance"]),
    ("checklist", "/checklist/matter/pension_certification?lang=zh", (480, 800), []),
]


def screenshots(browser, base: str, out: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    for name, path, (width, height), steps in SHOTS:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(base + path)
        page.wait_for_selector("body[data-ready=true]" if path.startswith("/checklist") else
                               "body[data-ready=true][data-voice]")  # voice buttons settled
        for step in steps:
            kind, _, arg = step.partition(":")
            if kind == "click":
                page.click(arg)
            elif kind == "send":
                before = page.locator(".msg.bot").count()
                page.fill("#message", arg)
                page.press("#message", "Enter")
                page.wait_for_function("(n) => document.querySelectorAll('.msg.bot').length > n", arg=before)
            elif kind == "tile":
                page.click(f".tile[data-id={arg}]")
                page.wait_for_selector(".k-msg.bot")
            elif kind == "idle":
                page.evaluate("document.getElementById('reply-audio').pause()")
                page.wait_for_selector("#idle-banner:not([hidden])", timeout=20_000)
        page.evaluate("document.getElementById('reply-audio')?.pause()")
        page.wait_for_timeout(300)
        target = out / f"{name}.png"
        page.screenshot(path=str(target))
        context.close()
        # A 64-colour palette keeps flat UI screenshots sharp and a fraction of the size.
        Image.open(target).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(
            target, optimize=True)
        yield target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running gateway (default: start one)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshots", type=Path, help="save PNGs of each page and mode here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    children: List[subprocess.Popen] = []
    url = args.url
    if not url:
        print("starting the action server and the gateway...", flush=True)
        url, children = start_gateway()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            measure(browser, url + "/")  # warm the server's caches (gzip, model) before measuring
            print("| page | first load (bytes, gzipped) | requests | interactive p50 / max | "
                  "DOMContentLoaded p50 | goal |")
            print("| --- | --- | --- | --- | --- | --- |")
            for label, path in PAGES.items():
                runs = [measure(browser, url + path) for _ in range(args.runs)]
                weight = statistics.median(r["bytes"] for r in runs)
                ready = [r["ready_ms"] for r in runs]
                ok = weight < GOAL_BYTES and statistics.median(ready) < GOAL_MS
                print(f"| {label} | {weight / 1024:.1f} KB ({weight:.0f} B) | "
                      f"{statistics.median(r['requests'] for r in runs):.0f} | "
                      f"{statistics.median(ready):.0f} / {max(ready):.0f} ms | "
                      f"{statistics.median(r['dcl_ms'] for r in runs):.0f} ms | {'met' if ok else 'MISSED'} |")
            if args.screenshots:
                for shot in screenshots(browser, url, args.screenshots):
                    print(f"saved {shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot} "
                          f"({shot.stat().st_size / 1024:.0f} KB)")
            browser.close()
    finally:
        for child in children:
            child.terminate()
            child.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
