"""``civic catalogue generate|check``: regenerate the Rasa files that come from the catalogue.

``generate`` validates every catalogue file (a broken one fails naming file and field) and writes
the domain part, rules, lookup features, generated examples and the jieba dictionary. ``check``
writes nothing and exits 1 when the generated files are out of date (for CI).
"""

from __future__ import annotations

import argparse

from knowledge.generate import generate


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "catalogue", help="validate the service-matter catalogue and generate NLU/domain files",
        description="Validate knowledge/catalogue/*.yaml and write data/catalogue/ and "
        "data/jieba_userdict.txt from it.",
    )
    parser.add_argument("action", choices=("generate", "check"), help="write files, or only check them")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    changed = generate(check=args.action == "check")
    if args.action == "check":
        if changed:
            print("out of date: " + ", ".join(changed) + " (run `civic catalogue generate`)")
            return 1
        print("generated files are up to date")
        return 0
    print("wrote: " + ", ".join(changed) if changed else "nothing changed")
    return 0
