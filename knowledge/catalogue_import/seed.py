"""Demo data for `make run`: the demo city's service-matter list (``demo_catalogue.csv``), loaded
through the same import as ``civic catalogue import``. Idempotent: a second start finds every
matter unchanged and writes nothing but the audit row."""

from __future__ import annotations

from pathlib import Path

from assistant.logs import log_event
from assistant.settings import Settings

DEMO_FILE = Path(__file__).resolve().parent / "demo_catalogue.csv"


def seed(settings: Settings) -> None:
    from knowledge.catalogue_import.store import import_bytes
    from knowledge.db import make_engine, make_sessionmaker
    from knowledge.schema import prepare_database

    engine = make_engine(settings.effective_database_url)
    try:
        prepare_database(engine, settings.data_tokens)
        report = import_bytes(make_sessionmaker(engine), DEMO_FILE.read_bytes(), DEMO_FILE.name, source="seed")
    finally:
        engine.dispose()
    print(f"civic: demo catalogue: {report.matters} imported matters ({report.created} new, "
          f"{report.updated} changed), {len(report.bad_rows)} bad rows")
    log_event("catalogue.demo.seeded", matters=report.matters, created=report.created, rejected=len(report.bad_rows))
