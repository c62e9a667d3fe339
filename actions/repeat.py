"""``repeat``: say the previous answer again, word for word (elderly users ask for this a lot)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def last_bot_turn(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The bot messages sent in answer to the user message before the current one."""
    user_seen = 0
    block: List[Dict[str, Any]] = []
    for event in reversed(events):
        if event.get("event") == "user":
            user_seen += 1
            if user_seen == 2:
                break
        elif event.get("event") == "bot" and user_seen == 1:
            block.append(event)
    return list(reversed(block))


class ActionRepeat(Action):
    def name(self) -> Text:
        return "action_repeat"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict]:
        previous = last_bot_turn(tracker.events)
        if not previous:
            dispatcher.utter_message(response="utter_nothing_to_repeat")
            return []
        for event in previous:
            data = event.get("data") or {}
            dispatcher.utter_message(
                text=event.get("text"),
                buttons=data.get("buttons") or [],
                json_message=data.get("custom"),
            )
        return []
