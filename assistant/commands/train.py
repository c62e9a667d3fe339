"""``civic train``: train the Rasa model if its inputs changed (``--force`` to train anyway)."""

from __future__ import annotations

import argparse

from assistant.core.model_store import ensure_model
from assistant.logs import configure
from assistant.settings import get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train", help="train the model only if config, domain or data changed",
        description="Hash config.yml, domain.yml, data/ and the NLU components; train a new "
        "model into CIVIC_MODEL_DIR only when no model for that hash exists.",
    )
    parser.add_argument("--force", action="store_true", help="train even if the model is fresh")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = get_settings()
    configure(settings.log_level)
    path = ensure_model(settings.model_dir, force=args.force)
    print(f"model: {path}")
    return 0
