"""Multi-turn conversations through the real chat API: how often the assistant keeps the thread.

    .venv/bin/python bench/dialogue_eval.py                 # starts the action server and gateway
    .venv/bin/python bench/dialogue_eval.py --url http://127.0.0.1:8000 --show 80

Runs every script under ``tests/dialogues/`` (or ``--dir``) and prints the share of turns fully
right per language, mode and kind of turn (follow-up, yes/no, form digression, leaving a form,
out of scope, for whom, repeat, sensitive...), the share of conversations fully right, and the
failures with what was answered. Goal (issue 14): >= 95% of turns, >= 90% of conversations.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.core.model_store import ensure_model  # noqa: E402
from assistant.settings import get_settings  # noqa: E402
from tests.conftest import free_port, new_chat_sender, wait_for_http  # noqa: E402
from tests.dialogues import script  # noqa: E402


def evaluate(url: str, directory: Path, workers: int = 4) -> tuple:
    conversations = script.load(directory)
    with httpx.Client(base_url=url, timeout=60) as client:
        def post(payload: dict) -> dict:
            response = client.post("/api/v1/chat", json=payload)
            if response.status_code >= 500:  # a failed turn is a wrong turn, not the end of the run
                return {"replies": [], "topic": None, "form": f"HTTP {response.status_code}"}
            response.raise_for_status()
            return response.json()

        def one(conversation: script.Conversation) -> list:
            return script.run_conversation(post, conversation, new_chat_sender(client))

        with ThreadPoolExecutor(workers) as pool:
            outcomes = [o for result in pool.map(one, conversations) for o in result]
    return script.summarise(outcomes), outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running gateway; default: start one")
    parser.add_argument("--dir", type=Path, default=script.HERE)
    parser.add_argument("--show", type=int, default=40, help="failures to print")
    args = parser.parse_args()
    processes = []
    url = args.url
    if url is None:
        ensure_model(get_settings().model_dir)
        action_port, gateway_port = free_port(), free_port()
        database = ROOT / "var" / "dialogue-eval.db"
        database.unlink(missing_ok=True)  # the demo cases and slots as seeded, not as the last run left them
        env = dict(os.environ, CIVIC_ACTION_PORT=str(action_port), CIVIC_PORT=str(gateway_port),
                   CIVIC_LOG_LEVEL="WARNING", CIVIC_DATABASE_URL=f"sqlite:///{database}",
                   # one client sends every conversation: the per-person limits would refuse it
                   CIVIC_RATE_LIMIT_EXEMPT='["127.0.0.1"]')
        # the scripts ask about the demo cases, bookings and imported matters
        subprocess.run([sys.executable, "-c", "from assistant.settings import get_settings; "
                        "from assistant.seed import seed_all; seed_all(get_settings())"], cwd=ROOT, env=env, check=True)
        processes = [subprocess.Popen([sys.executable, "-m", "assistant", name], cwd=ROOT, env=env)
                     for name in ("actions", "serve")]
        wait_for_http(f"http://127.0.0.1:{action_port}/health", 120, processes[0])
        url = f"http://127.0.0.1:{gateway_port}"
        wait_for_http(f"{url}/readyz", 180, processes[1])
    try:
        summary, outcomes = evaluate(url, args.dir)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
    print(script.report(summary, outcomes, args.show))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
