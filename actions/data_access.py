"""What the data actions share in the action-server process: one engine (schema at head on
first use; the case-check lockout lives there too, see knowledge.case_check) and the salt for
pseudonyms. Built lazily, so importing the actions connects nowhere."""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional

from rasa_sdk.events import SlotSet
from sqlalchemy.orm import sessionmaker

from assistant.settings import Settings, get_settings
from knowledge.db import make_engine, make_sessionmaker
from knowledge.schema import prepare_database

_lock = threading.Lock()
_state: Dict[str, Any] = {}


def settings() -> Settings:
    return get_settings()


def sessions() -> sessionmaker:
    with _lock:
        if "sessions" not in _state:
            config = settings()
            engine = make_engine(config.effective_database_url)
            prepare_database(engine, config.data_tokens)
            _state["engine"] = engine
            _state["sessions"] = make_sessionmaker(engine)
        return _state["sessions"]


def language(tracker: Any) -> str:
    return "en" if tracker.get_slot("language") == "en" else "zh"


def channel(tracker: Any) -> str:
    message = tracker.latest_message or {}
    metadata = message.get("metadata") or {}
    return str(metadata.get("channel") or tracker.get_latest_input_channel() or "")


def latest_text(tracker: Any) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def own_words(tracker: Any) -> str:
    """What the person typed or said, or "" for a button's payload ("/feedback{...}"): only
    words can be misread by the classifier and so handed to the guide."""
    text = latest_text(tracker)
    return "" if text.startswith("/") else text


def latest_intent(tracker: Any) -> Optional[str]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def entity(tracker: Any, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return None if value is None else str(value)


def ask_topic(tracker: Any, topic: str) -> List[Dict[str, Any]]:
    """A form's prompt marks the turn as about the form, unless the turn already answered a
    question asked inside the form ("wait, how much is a passport?": that turn is about passports)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "slot" and event.get("name") == "topic":
            return []
    return [SlotSet("topic", topic)]
