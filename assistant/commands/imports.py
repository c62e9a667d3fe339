"""``civic import cases FILE.csv|FILE.json``: load a department's export into the shared data."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.errors import InputError
from assistant.logs import configure
from assistant.settings import get_settings
from knowledge.db import make_engine, make_sessionmaker
from knowledge.importer import import_file
from knowledge.schema import prepare_database


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import", help="import case records from a CSV or JSON file",
        description="Clean (trim, phone numbers, dates, Chinese status names), validate and "
        "upsert case records by case number, exactly like the data interface; prints a report "
        "of bad rows with their line numbers. Exit status 1 if any row was rejected.",
    )
    what = parser.add_subparsers(dest="what", metavar="WHAT")
    cases = what.add_parser("cases", help="case records (CSV with a header line, or a JSON list)")
    cases.add_argument("file", type=Path)
    cases.add_argument("--department", help="department code for rows that do not name one "
                       "(rows naming another department are rejected)")
    cases.add_argument("--batch-size", type=int, default=1000)
    cases.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = get_settings()
    configure(settings.log_level)
    if not args.file.is_file():
        raise InputError(f"{args.file}: no such file")
    if not 1 <= args.batch_size <= 5000:
        raise InputError("--batch-size must be between 1 and 5000")
    engine = make_engine(settings.effective_database_url)
    try:
        prepare_database(engine, settings.data_tokens)
        report = import_file(make_sessionmaker(engine), args.file, args.department, args.batch_size)
    finally:
        engine.dispose()
    print("\n".join(report.lines()))
    return 1 if report.bad_rows else 0
