"""How a turn's outcome and a request's labels are read (pure; the real turns are in test_metrics)."""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest

from assistant.core.outcome import outcome_of
from assistant.core.turns import Reply, TurnResult
from assistant.metrics import Snapshot, channel_for, snapshot_families, status_class


def result(topic: Optional[str] = "passport", fallback: bool = False, handoff: bool = False,
           **slots_set: Any) -> TurnResult:
    return TurnResult(sender="s", lang="zh", replies=[Reply("…")], topic=topic, intent=None, confidence=None,
                      fallback=fallback, handoff=handoff, slots_set=dict(slots_set))


@pytest.mark.parametrize("turn, expected", [
    (result(), "answered"),
    (result(topic="book_appointment", requested_slot="appointment_matter"), "answered"),  # a form asks on
    (result(misses=0), "answered"),  # an answer resets the misses
    (result(topic="individual_tax", fallback=True, misses=1, unanswered=True), "clarified"),
    (result(topic="out_of_scope", fallback=True, misses=0, unanswered=True), "clarified"),  # staff offered
    (result(topic="out_of_scope", fallback=True, unanswered=True), "fallback"),
    (result(topic="out_of_scope"), "fallback"),  # "not here, go there"
    (result(topic=None, fallback=True), "fallback"),  # a dependency down: the apology
    (result(topic="human_handoff", handoff=True), "handoff"),
    (result(topic="out_of_scope", fallback=True, handoff=True, misses=0, unanswered=True), "handoff"),
])
def test_outcome_of_a_turn(turn: TurnResult, expected: str) -> None:
    assert outcome_of(turn) == expected


@pytest.mark.parametrize("path, channel", [
    ("/api/v1/chat", "web"), ("/api/v1/kiosk/chat", "kiosk"), ("/api/v1/voice", "kiosk"),
    ("/channels/wechat", "wechat"), ("/webhooks/rest/webhook", "rest"), ("/api/v1/session", "none"),
    ("/metrics", "none"), ("/", "none"),
])
def test_channel_of_a_path(path: str, channel: str) -> None:
    assert channel_for(path) == channel


def test_status_classes() -> None:
    assert [status_class(s) for s in (200, 204, 401, 429, 503)] == ["2xx", "2xx", "4xx", "4xx", "5xx"]


def test_snapshot_families() -> None:
    families: Dict[str, Any] = {f.name: f for f in snapshot_families(
        Snapshot({"database": True, "actions": False}, "abc123", "def456", 21))}
    up = {s.labels["dependency"]: s.value for s in families["civic_dependency_up"].samples}
    assert up == {"database": 1.0, "actions": 0.0}
    assert families["civic_model"].samples[0].labels == {"version": "abc123"}
    assert families["civic_catalogue"].samples[0].labels == {"version": "def456", "matters": "21"}
