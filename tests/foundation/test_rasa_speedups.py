"""The per-turn work removed from Rasa keeps its behaviour: a bad action-server answer is still
refused with Rasa's own error, and every event class is still found by name."""

from __future__ import annotations

import pytest


def test_action_answers_are_still_validated_and_event_classes_still_found():
    from assistant.core import rasa_speedups

    rasa_speedups.install()
    rasa_speedups.install()  # idempotent
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import ActiveLoop, Event, SlotSet, deserialise_events

    action = RemoteAction("action_guide", None)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "topic", "value": "x"}],
                                           "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "not a list", "responses": []})
    events = deserialise_events([{"event": "slot", "name": "topic", "value": "passport"},
                                 {"event": "active_loop", "name": None}])
    assert [type(e) for e in events] == [SlotSet, ActiveLoop]
    assert Event.resolve_by_type("slot") is SlotSet
