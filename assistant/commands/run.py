"""``civic run``: everything `make run` needs after install: train if stale, seed, start the
action server and the gateway, print the URLs, and stop every child cleanly on Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from typing import List

import httpx

from assistant.core.model_store import SERVING_POINTER, ensure_model, publish_serving
from assistant.logs import configure, log_event
from assistant.seed import seed_all
from assistant.settings import PROJECT_ROOT, Settings, get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run", help="train if needed, seed demo data, start all processes",
        description="Train the model if its inputs changed, seed demo data, start the Rasa "
        "action server and the FastAPI gateway, print the URLs; Ctrl-C stops everything.",
    )
    parser.add_argument("--no-seed", action="store_true", help="skip demo data")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = get_settings()  # refuses CIVIC_WORKERS > 1 without CIVIC_REDIS_URL (settings.py)
    configure(settings.log_level)
    print("civic: checking the model (trains only if config, domain or data changed)...", flush=True)
    model = ensure_model(settings.model_dir)
    if (settings.var_dir / SERVING_POINTER).exists():  # an earlier `civic reload` would win over it
        publish_serving(settings.var_dir / SERVING_POINTER, settings.model_dir, model)
    if not args.no_seed:
        print("civic: seeding demo data...", flush=True)
        seed_all(settings)
    children = start_children()
    stopping = {"flag": False}

    def stop(signum, _frame):  # type: ignore[no-untyped-def]
        stopping["flag"] = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    base = f"http://{settings.host}:{settings.port}"
    print("civic: starting the action server and the gateway (loading the model takes a minute)...", flush=True)
    if wait_ready(base, children, stopping, action_health=action_health_url(settings)):
        print_urls(settings, base)
    while not stopping["flag"] and all(c.poll() is None for c in children):
        time.sleep(0.3)
    return stop_children(children)


def start_children() -> List[subprocess.Popen]:
    python = sys.executable
    commands = [[python, "-m", "assistant", "actions"], [python, "-m", "assistant", "serve"]]
    # A session of their own: Ctrl-C in the terminal reaches only `civic run`, which stops the
    # gateway before the action server (a turn in flight may still need an action).
    return [subprocess.Popen(cmd, cwd=PROJECT_ROOT, start_new_session=True) for cmd in commands]


def wait_ready(base: str, children: List[subprocess.Popen], stopping: dict, limit: float = 300,
               action_health: str = "") -> bool:
    """Wait for the action server's health, then the gateway's readiness. In that order: asked
    first, the gateway would log "action server unreachable" for a server still starting. A slow
    start (a busy machine) is said once after ``limit`` seconds, and waited for."""
    deadline = time.monotonic() + limit
    for url in (action_health, f"{base}/readyz"):
        while url:
            if stopping["flag"]:
                return False
            if deadline and time.monotonic() > deadline:
                print(f"civic: still starting after {limit:.0f} s (a busy machine?); {base}/readyz says "
                      "what is missing", flush=True)
                deadline = 0.0
            if any(c.poll() is not None for c in children):
                print("civic: a process exited during start-up; see the log above", file=sys.stderr)
                return False
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
    return True


def action_health_url(settings: Settings) -> str:
    """Where `civic run`'s own action server answers its health check."""
    host = "127.0.0.1" if settings.action_host in ("0.0.0.0", "::", "") else settings.action_host
    return f"http://{host}:{settings.action_port}/health"


def print_urls(settings: Settings, base: str) -> None:
    lines = [
        "",
        "Civic Service Assistant is running:",
        f"  Web chat        {base}/",
        f"  Kiosk           {base}/kiosk",
        f"  Staff dashboard {base}/staff",
        f"  Chat API        {base}/api/v1/chat",
        f"  API schema      {base}/openapi.json",
        f"  Readiness       {base}/readyz",
        f"  Action server   http://{settings.action_host}:{settings.action_port}/health (token only)",
        "Press Ctrl-C to stop.",
        "",
    ]
    print("\n".join(lines), flush=True)
    log_event("run.ready", url=base)


def stop_children(children: List[subprocess.Popen], grace: float = 30) -> int:
    """Stop the gateway first, then the action server: turns in flight finish, and they may
    still need an action (``start_children`` lists the action server first, so: reversed)."""
    print("civic: stopping (turns in flight finish first)...", flush=True)
    for child in reversed(children):
        if child.poll() is None:
            child.terminate()
        try:
            child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    print("civic: stopped.", flush=True)
    return 0
