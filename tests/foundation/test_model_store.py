"""The model is retrained only when something that shapes it changed."""

import shutil
from pathlib import Path

from assistant.core.model_store import current_model, inputs_hash, model_path_for, training_inputs
from assistant.settings import PROJECT_ROOT


def make_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("config.yml", "domain.yml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / name, root / name)
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    shutil.copytree(PROJECT_ROOT / "assistant" / "nlu", root / "assistant" / "nlu",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return root


def digest(root: Path) -> str:
    return inputs_hash(training_inputs(root), root)


def test_hash_is_stable_and_changes_with_training_data(tmp_path):
    root = make_project(tmp_path)
    first = digest(root)
    assert digest(root) == first
    with open(root / "data" / "nlu_core.yml", "a", encoding="utf-8") as handle:
        handle.write("    - 您好呀\n")
    assert digest(root) != first


def test_hash_changes_with_config_domain_and_component_code(tmp_path):
    root = make_project(tmp_path)
    seen = {digest(root)}
    for relative in ("config.yml", "domain.yml", "assistant/nlu/tokens.py"):
        with open(root / relative, "a", encoding="utf-8") as handle:
            handle.write("\n# changed\n")
        seen.add(digest(root))
    assert len(seen) == 4


def test_unrelated_files_do_not_make_the_model_stale(tmp_path):
    root = make_project(tmp_path)
    before = digest(root)
    (root / "README.md").write_text("docs change", encoding="utf-8")
    (root / "data" / "notes.md").write_text("not training data", encoding="utf-8")
    assert digest(root) == before


def test_current_model_is_found_only_for_the_current_inputs(tmp_path):
    root = make_project(tmp_path)
    models = tmp_path / "models"
    models.mkdir()
    assert current_model(models, root) is None
    model_path_for(models, digest(root)).write_bytes(b"model")
    assert current_model(models, root) is not None
    (root / "data" / "rules_core.yml").write_text("version: '3.1'\n", encoding="utf-8")
    assert current_model(models, root) is None
