"""``civic catalogue generate|check|import FILE``: the catalogue's generated Rasa files, and the
import of a city's published service-matter list.

``generate`` validates every catalogue file (a broken one fails naming file and field) and writes
the domain part, rules, lookup features, generated examples and the jieba dictionary. ``check``
writes nothing and exits 1 when the generated files are out of date (for CI). ``import`` reads an
.xlsx, .csv or .json list into the shared database and prints a report of bad rows by line (exit
status 1 if there were any); importing the same file again changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "catalogue", help="the service-matter catalogue: generate NLU/domain files, import a published list",
        description="Validate knowledge/catalogue/*.yaml and write data/catalogue/ and "
        "data/jieba_userdict.txt from it, or import a service-matter list.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    for name, text in (("generate", "write the generated files"), ("check", "only check they are up to date")):
        actions.add_parser(name, help=text).set_defaults(handler=handle)
    load = actions.add_parser(
        "import", help="import a service-matter list (.xlsx, .csv or .json)",
        description="One row per matter or per handling item, with the published headers (事项编码, 事项名称, "
        "实施主体, 办理项, 受理条件, 申请材料, 收费标准, 法定办结时限, 承诺办结时限, 办理地点, 办理时间, 咨询电话, "
        "设定依据, 办理形式) or their English aliases. Exit status 1 if any row was rejected.")
    load.add_argument("file", type=Path)
    load.set_defaults(handler=handle_import)
    parser.set_defaults(handler=lambda args: parser.print_help() or 2)


def handle(args: argparse.Namespace) -> int:
    from knowledge.generate import generate

    changed = generate(check=args.action == "check")
    if args.action == "check":
        if changed:
            print("out of date: " + ", ".join(changed) + " (run `civic catalogue generate`)")
            return 1
        print("generated files are up to date")
        return 0
    print("wrote: " + ", ".join(changed) if changed else "nothing changed")
    return 0


def handle_import(args: argparse.Namespace) -> int:
    from assistant.errors import InputError
    from assistant.logs import configure
    from assistant.settings import get_settings
    from knowledge.catalogue_import.store import import_bytes
    from knowledge.db import make_engine, make_sessionmaker
    from knowledge.schema import prepare_database

    settings = get_settings()
    configure(settings.log_level)
    if not args.file.is_file():
        raise InputError(f"{args.file}: no such file")
    if args.file.stat().st_size > settings.max_catalogue_bytes:
        raise InputError(f"{args.file}: larger than {settings.max_catalogue_bytes} bytes (CIVIC_MAX_CATALOGUE_BYTES)")
    engine = make_engine(settings.effective_database_url)
    try:
        prepare_database(engine, settings.data_tokens)
        report = import_bytes(make_sessionmaker(engine), args.file.read_bytes(), args.file.name, source="cli")
    finally:
        engine.dispose()
    print("\n".join(report.lines()))
    return 1 if report.bad_rows else 0
