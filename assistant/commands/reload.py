"""``civic reload [--model FILE]``: put a model in service on this host's running gateways,
without a restart (``assistant/core/model_swap.py``; docs/operations.md, Reloading).

Without ``--model`` it names the model a fresh start would pick (the one for the current
training inputs, else the newest): after ``git pull`` and ``civic train``, ``civic reload`` serves
the new model. ``--model`` names any model file; one outside the model folder is copied in first
(every host reads its own folder). Catalogue imports need no reload: they are noticed within
``CIVIC_CATALOGUE_CHECK_SECONDS``.
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "reload", help="serve another model on the running gateways, without a restart",
        description="Name the model the running gateway processes of this host serve. Each loads it "
        "beside the serving model within CIVIC_MODEL_CHECK_SECONDS, one process at a time, then "
        "swaps; turns in flight finish on the old model and no conversation is lost.")
    parser.add_argument("--model", type=Path, default=None,
                        help="model file (default: the model for the current inputs, else the newest)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from assistant.core.model_store import SERVING_POINTER, current_model, latest_model, publish_serving
    from assistant.errors import InputError
    from assistant.logs import configure
    from assistant.settings import get_settings

    settings = get_settings()
    configure(settings.log_level)
    model_dir = settings.model_dir
    model = args.model or current_model(model_dir) or latest_model(model_dir)
    if model is None:
        raise InputError(f"no model in {model_dir}; run `civic train` or give --model")
    if not model.is_file() or not model.name.endswith(".tar.gz"):
        raise InputError(f"--model {model}: not a model file (.tar.gz)")
    if model.absolute().parent.resolve() != model_dir.resolve():  # the folder, not where a link points
        model = _copy_in(model, model_dir)
    publish_serving(settings.var_dir / SERVING_POINTER, model_dir, model)
    print(f"serving {model.name}: running gateways load it within {settings.model_check_seconds:g} s, "
          "one process at a time (log: model.swap.done)")
    return 0


def _copy_in(model: Path, model_dir: Path) -> Path:
    """Copy under a temporary name, then rename: a gateway never sees half a model file."""
    target = model_dir / model.name
    staging = model_dir / f".{model.name}.{os.getpid()}"
    shutil.copyfile(model, staging)
    os.replace(staging, target)
    return target
