"""A clean start: `civic run` (what `make run` starts) on a fresh var/ prints progress, the URLs
and the demo login, and nothing that looks like an error; the training data loads without a
single warning."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import httpx
import pytest

from assistant.core.model_store import current_model, domain_files, inputs_hash, latest_model, model_path_for
from assistant.core.model_store import training_data_files, training_inputs
from assistant.logs import EXPECTED_WARNINGS
from assistant.settings import PROJECT_ROOT
from tests.conftest import free_port

ALARMING = re.compile(r"WARNING|Warning|Traceback|error")


def existing_model_dir(tmp_path: Path) -> Path:
    """The models folder when its model is fresh; otherwise a folder where the newest model
    stands for the current inputs, so this test never trains (that is `make test`'s job)."""
    models = PROJECT_ROOT / "models"
    if current_model(models) is not None:
        return models
    newest = latest_model(models)
    if newest is None:
        pytest.skip("no trained model in models/ (run `civic train`)")
    folder = tmp_path / "models"
    folder.mkdir()
    model_path_for(folder, inputs_hash(training_inputs())).symlink_to(newest)
    return folder


def test_training_data_loads_without_a_warning():
    """Blank lines in an examples block ("training example will be skipped") and domain parts
    read as training data ("duplicated responses") were both ours; what Rasa says on every
    load whatever the data is the only warning left, and it is filtered."""
    from rasa.shared.importers.importer import TrainingDataImporter

    with tempfile.TemporaryDirectory() as staging, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for index, part in enumerate(domain_files()):
            shutil.copy(part, Path(staging) / f"{index:02d}_{part.name}")
        importer = TrainingDataImporter.load_from_config(str(PROJECT_ROOT / "config.yml"), staging,
                                                         training_data_files())
        assert importer.get_domain().responses and importer.get_nlu_data().intent_examples
        importer.get_stories()
    said = [f"{w.category.__name__}: {w.message}" for w in caught if issubclass(w.category, UserWarning)]
    assert not [text for text in said if not EXPECTED_WARNINGS.search(text)], said
    assert not any(part.name == "domain_cases.yml" for part in map(Path, training_data_files()))


@pytest.mark.slow
def test_civic_run_on_a_fresh_machine_prints_urls_and_nothing_alarming(tmp_path):
    port, action_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVIC_", "TF_CPP", "PYTHONWARNINGS"))}
    env.update(CIVIC_VAR_DIR=str(tmp_path / "var"), CIVIC_PORT=str(port), CIVIC_ACTION_PORT=str(action_port),
               CIVIC_MODEL_DIR=str(existing_model_dir(tmp_path)), CIVIC_ENVIRONMENT="local")
    run = subprocess.Popen([sys.executable, "-m", "assistant", "run"], cwd=PROJECT_ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    watchdog = threading.Timer(1800, run.kill)  # a hung start or stop must not hang the suite
    watchdog.start()  # (Spark and two model loads took 11 minutes at load 15 on 2 cores)
    try:
        for line in iter(run.stdout.readline, ""):
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        assert any(line.startswith("Press Ctrl-C") for line in lines), "".join(lines)
        base = f"http://127.0.0.1:{port}"
        sender = httpx.post(f"{base}/api/v1/session", timeout=30).json()["sender"]
        for message in ("我要办护照", "hello, what do I need for an ID card?"):  # first turns print nothing either
            reply = httpx.post(f"{base}/api/v1/chat", json={"sender": sender, "message": message}, timeout=60)
            assert reply.status_code == 200 and reply.json()["replies"], reply.text
        speech = httpx.post(f"{base}/api/v1/tts", json={"text": "请带上身份证。", "lang": "zh"}, timeout=60)
        assert speech.status_code == 200 and len(speech.content) > 1000, speech.text[:200]
        time.sleep(2)
        run.send_signal(signal.SIGINT)
        lines += list(run.stdout)  # the same buffered reader to the end: nothing read twice or lost
        run.wait(timeout=30)
    finally:
        watchdog.cancel()
        if run.poll() is None:
            run.kill()
    output = "".join(lines)
    for url in (f"{base}/", f"{base}/kiosk", f"{base}/staff", f"{base}/api/v1/chat"):
        assert url in output, output
    assert "staff dashboard login: user 'demo'" in output
    assert "civic analyze:" in output  # the long first-start step shows its progress
    alarming = [line for line in output.splitlines() if ALARMING.search(line)]
    assert not alarming, "\n".join(alarming)
    assert run.returncode == 0 and "civic: stopped." in output
    print(f"{len(output.splitlines())} lines:\n{output}")  # shown with -s
