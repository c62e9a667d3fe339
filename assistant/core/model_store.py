"""Train the Rasa model only when its inputs changed.

The model file is named after a hash of everything that shapes it (config, domain, training
data, the jieba dictionary and our NLU component code), so "is the model stale?" is just "does
the file for this hash exist?" and several processes agree without extra bookkeeping.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, List, Optional

from assistant.logs import log_event
from assistant.settings import PROJECT_ROOT

MODEL_PREFIX = "civic-"
#: The file in ``CIVIC_VAR_DIR`` that names the model to serve (``civic reload`` writes it; every
#: gateway process reads it at start and watches it while serving, ``assistant/core/model_swap.py``).
SERVING_POINTER = "serving-model"


def training_inputs(root: Path = PROJECT_ROOT) -> List[Path]:
    """Every file whose content changes what the trained model does, in a stable order."""
    files = [root / "config.yml", root / "domain.yml"]
    for folder in (root / "data", root / "assistant" / "nlu"):
        files += sorted(p for p in folder.rglob("*") if p.is_file() and _counts(p))
    return [p for p in files if p.exists()]


def domain_files(root: Path = PROJECT_ROOT) -> List[Path]:
    """``domain.yml`` plus the domain parts kept beside their training data (``data/**/domain_*.yml``,
    e.g. the part generated from the catalogue). Rasa merges them; data loading ignores them."""
    return [root / "domain.yml"] + sorted((root / "data").rglob("domain_*.yml"))


def training_data_files(root: Path = PROJECT_ROOT) -> List[str]:
    """The training data Rasa reads: ``data/`` without the domain parts kept there. Given the
    whole folder, Rasa also reads a domain part's ``responses`` as training data and then warns
    that every one of them is "duplicated across domain files"."""
    domain_parts = set(domain_files(root))
    return [str(p) for p in sorted((root / "data").rglob("*.yml")) if p not in domain_parts]


def _counts(path: Path) -> bool:
    return path.suffix in {".yml", ".yaml", ".txt", ".py"} and "__pycache__" not in path.parts


def inputs_hash(paths: Iterable[Path], root: Path = PROJECT_ROOT) -> str:
    """Hash names and contents, so a rename or an edit both count as a change."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path_for(model_dir: Path, digest: str) -> Path:
    return model_dir / f"{MODEL_PREFIX}{digest}.tar.gz"


def current_model(model_dir: Path, root: Path = PROJECT_ROOT) -> Optional[Path]:
    """The trained model that matches the inputs as they are now, or ``None`` if it is stale."""
    path = model_path_for(model_dir, inputs_hash(training_inputs(root), root))
    return path if path.exists() else None


def latest_model(model_dir: Path) -> Optional[Path]:
    """The newest model on disk, fresh or not (serving a stale model beats serving nothing)."""
    models = sorted(model_dir.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def serving_model(model_dir: Path, pointer: Path, root: Path = PROJECT_ROOT) -> Optional[Path]:
    """The model a gateway serves: the one ``civic reload`` named in ``pointer``, while that file
    exists; else the model for the current inputs, else the newest. Every process (a worker started
    late, one gunicorn replaced) answers the same, so the workers of a host never disagree for long."""
    named = read_pointer(pointer, model_dir)
    if named is not None and named.is_file():
        return named
    return current_model(model_dir, root) or latest_model(model_dir)


def read_pointer(pointer: Path, model_dir: Path) -> Optional[Path]:
    """The model the pointer file names (a bare file name inside ``model_dir``), or ``None``."""
    try:
        name = pointer.read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return model_dir / Path(name).name if name else None


def publish_serving(pointer: Path, model_dir: Path, model: Path) -> Path:
    """Name ``model`` as the one to serve, atomically (a reader sees the old name or the new one,
    never half a line). The pointer lives in ``CIVIC_VAR_DIR``, which the gateway may write (the
    model folder is read-only under systemd); the model must already be in ``model_dir``."""
    target = model_dir / model.name
    if not target.is_file() or not target.name.endswith(".tar.gz"):
        raise FileNotFoundError(f"{target}: no such model file (copy it into {model_dir} first)")
    pointer.parent.mkdir(parents=True, exist_ok=True)
    staging = pointer.with_name(f".{pointer.name}.{os.getpid()}")
    staging.write_text(target.name + "\n")
    os.replace(staging, pointer)
    log_event("model.serving.published", model=target.name)
    return target


def ensure_model(model_dir: Path, root: Path = PROJECT_ROOT, force: bool = False) -> Path:
    """Return a model for the current inputs, training one only if it does not exist yet."""
    digest = inputs_hash(training_inputs(root), root)
    target = model_path_for(model_dir, digest)
    if target.exists() and not force:
        log_event("model.fresh", path=target.name)
        return target
    model_dir.mkdir(parents=True, exist_ok=True)
    with open(model_dir / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one training at a time; the others reuse its result
        if target.exists() and not force:
            return target
        _train(root, model_dir, target, digest)
    _prune(model_dir, keep=3)
    log_event("model.train.done", path=target.name)
    return target


def _prune(model_dir: Path, keep: int) -> None:
    """Keep a few recent models: another process may still be loading an older one."""
    models = sorted(model_dir.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-keep]:
        old.unlink(missing_ok=True)


def _train(root: Path, model_dir: Path, target: Path, digest: str) -> None:
    log_event("model.train.start", inputs=digest)
    from rasa.api import train  # heavy import: only when we really train

    print("civic: training the model (a few minutes; progress bars below)...", flush=True)
    with tempfile.TemporaryDirectory(prefix="civic-domain-") as staging, _progress_bars():
        for index, part in enumerate(domain_files(root)):
            shutil.copy(part, Path(staging) / f"{index:02d}_{part.name}")
        result = train(
            domain=staging,
            config=str(root / "config.yml"),
            training_files=training_data_files(root),
            output=str(model_dir),
            fixed_model_name=target.name[: -len(".tar.gz")],
        )
    if result.code != 0 or not target.exists():
        raise RuntimeError(f"Rasa training failed (code {result.code})")


@contextmanager
def _progress_bars() -> Iterator[None]:
    """Rasa shows its progress bars (stories, trackers, epochs) only when the ``LOG_LEVEL`` it
    reads from the environment is below WARNING; its loggers stay at WARNING (``quiet_rasa``),
    so training shows the bars and nothing else."""
    previous = os.environ.get("LOG_LEVEL")
    os.environ["LOG_LEVEL"] = "INFO"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("LOG_LEVEL", None)
        else:
            os.environ["LOG_LEVEL"] = previous
