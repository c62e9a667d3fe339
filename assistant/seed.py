"""Demo data for `make run`, so a first start shows something. Each seeder is idempotent."""

from __future__ import annotations

import importlib
from typing import Callable

from assistant.logs import log_event
from assistant.settings import Settings

#: "module:function" taking the settings; each must be safe to run on every start.
SEEDERS: tuple = (
    "knowledge.seed_demo:seed",
    "knowledge.catalogue_import.seed:seed",
    "analytics.seed:seed",
)


def seed_all(settings: Settings) -> None:
    """Every demo seeder, outside production only: demo cases (with phone digits anyone can read
    in the README) and the demo login must never exist on a real service (issue 15)."""
    if settings.environment == "production":
        print("civic: production: no demo data is seeded (create staff accounts with `civic staff add NAME`)")
        log_event("seed.skipped", reason="production")
        return
    for spec in SEEDERS:
        module, _, name = spec.partition(":")
        seeder: Callable[[Settings], None] = getattr(importlib.import_module(module), name)
        seeder(settings)
        log_event("seed.done", seeder=spec)
