"""``civic`` / ``python -m assistant``: one entry point for every task.

Each command lives in a module of ``assistant.commands`` with ``register(subparsers)``; adding a
command is adding one name to ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import List, Optional

from assistant.errors import CivicError

COMMANDS = (
    "assistant.commands.run",
    "assistant.commands.train",
    "assistant.commands.serve",
    "assistant.commands.reload",
    "assistant.commands.catalogue",
    "assistant.commands.db",
    "assistant.commands.imports",
    "assistant.commands.wechat",
    "assistant.commands.logs",
    "assistant.commands.analyze",
    "assistant.commands.staff",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="civic",
        description="Civic Service Assistant: a bilingual assistant for government service matters.",
        epilog="Configuration comes from CIVIC_* environment variables (see README).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    from assistant.logs import quiet_libraries

    quiet_libraries()  # before any command imports TensorFlow, Rasa or Sanic
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        from assistant.core.rasa_backend import set_rasa_telemetry
        from assistant.settings import get_settings

        set_rasa_telemetry(get_settings().rasa_telemetry)  # before any command can load Rasa
        return int(args.handler(args) or 0)
    except CivicError as err:
        print(f"civic: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
