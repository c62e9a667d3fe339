"""Rasa 3.6 graph components registered in ``config.yml``.

``BilingualTokenizer`` tokenises mixed Chinese/English text; ``ConversationContext`` turns the
per-message language (detected, or requested by the channel in the message metadata) and the
channel's mode into entities, which fill the ``language`` and ``mode`` slots that conditional
responses read. Doing this inside NLU means the in-process agent and a remote ``rasa run`` server
behave the same: both only need the message and its metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.language import SUPPORTED_LANGUAGES, detect_language
from assistant.nlu.tokens import TokenSplitter

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODES = ("standard", "elderly")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class BilingualTokenizer(Tokenizer):
    """jieba for CJK runs, a word pattern for Latin and digit runs (see ``tokens.py``)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # relative to the project root; generated from the catalogue
            "dictionary_path": "data/jieba_userdict.txt",
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        path = config.get("dictionary_path")
        resolved = (PROJECT_ROOT / path) if path else None
        self._splitter = TokenSplitter(resolved)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "BilingualTokenizer":
        return cls(config)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["jieba"]

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        tokens = [Token(word, start) for word, start in self._splitter.split(text)]
        return self._apply_token_pattern(tokens)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ConversationContext(GraphComponent):
    """Adds ``language`` and ``mode`` entities from the message text and its metadata."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ConversationContext":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            metadata = message.get("metadata") or {}
            language = _valid(metadata.get("lang"), SUPPORTED_LANGUAGES) or detect_language(
                message.get(TEXT) or ""
            )
            mode = _valid(metadata.get("mode"), MODES)
            extra = [_entity("language", language), _entity("mode", mode)]
            entities = [e for e in message.get(ENTITIES, []) if e["entity"] not in ("language", "mode")]
            message.set(ENTITIES, entities + [e for e in extra if e], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def _valid(value: Optional[str], allowed: tuple) -> Optional[str]:
    return value if value in allowed else None


def _entity(name: str, value: Optional[str]) -> Optional[Dict[str, Any]]:
    if value is None:
        return None
    return {"entity": name, "value": value, "start": 0, "end": 0, "confidence_entity": 1.0,
            "extractor": "ConversationContext"}
