"""Two costs Rasa 3.6 pays on every turn that buy nothing, removed without changing behaviour.

Measured with py-spy on a gateway worker under saturation (12 people, no pauses): 17% of its CPU
went to ``jsonschema.validate`` of each action-server answer, about half of it checking the
*schema* (a constant) before checking the answer; 7% went to walking every subclass of ``Event``
once per event of every tracker read, to find an event's class by name. Here the schema is
compiled once and every answer is still validated against it, and the (fixed, once Rasa is
imported) list of event classes is computed once. Installed by ``make_agent``; idempotent.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    import rasa.shared.utils.common as common
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)
    validator.check_schema(schema)  # once, as jsonschema.validate did on every call
    original = RemoteAction._validate_action_result

    def validate_action_result(self: Any, result: Dict[str, Any]) -> bool:
        if validator.is_valid(result):
            return True
        return original(self, result)  # Rasa's own message and exception for a bad answer

    walk = common.all_subclasses

    @lru_cache(maxsize=None)
    def _cached(cls: Any) -> tuple:
        return tuple(walk(cls))

    def all_subclasses(cls: Any) -> List[Any]:
        return list(_cached(cls))

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[assignment]
    common.all_subclasses = all_subclasses
    _installed = True
