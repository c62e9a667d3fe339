"""Train the Rasa model only when its inputs changed.

The model file is named after a hash of everything that shapes it (config, domain, training
data, the jieba dictionary and our NLU component code), so "is the model stale?" is just "does
the file for this hash exist?" and several processes agree without extra bookkeeping.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, List, Optional

from assistant.logs import log_event
from assistant.settings import PROJECT_ROOT

MODEL_PREFIX = "civic-"


def training_inputs(root: Path = PROJECT_ROOT) -> List[Path]:
    """Every file whose content changes what the trained model does, in a stable order."""
    files = [root / "config.yml", root / "domain.yml"]
    for folder in (root / "data", root / "assistant" / "nlu"):
        files += sorted(p for p in folder.rglob("*") if p.is_file() and _counts(p))
    return [p for p in files if p.exists()]


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


def ensure_model(model_dir: Path, root: Path = PROJECT_ROOT, force: bool = False) -> Path:
    """Return a model for the current inputs, training one only if it does not exist yet."""
    digest = inputs_hash(training_inputs(root), root)
    target = model_path_for(model_dir, digest)
    if target.exists() and not force:
        log_event("model.fresh", path=target.name)
        return target
    log_event("model.train.start", inputs=digest)
    from rasa.api import train  # heavy import: only when we really train

    model_dir.mkdir(parents=True, exist_ok=True)
    result = train(
        domain=str(root / "domain.yml"),
        config=str(root / "config.yml"),
        training_files=[str(root / "data")],
        output=str(model_dir),
        fixed_model_name=target.name[: -len(".tar.gz")],
    )
    if result.code != 0 or not target.exists():
        raise RuntimeError(f"Rasa training failed (code {result.code})")
    for old in model_dir.glob(f"{MODEL_PREFIX}*.tar.gz"):
        if old != target:
            old.unlink(missing_ok=True)
    log_event("model.train.done", path=target.name)
    return target
