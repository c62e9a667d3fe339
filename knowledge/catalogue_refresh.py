"""What depends on the catalogue's content, brought up to date after a publication (issue 17)
without making the next person wait for work that did not change.

The search index, the semantic question matcher and the answer ranker are built once per process
from the catalogue (``lru_cache`` in ``knowledge/search.py`` and ``knowledge/semantic.py``). The
index is cheap and is simply built again. The matcher and the ranker are not: built from nothing
they embed every matter again, and the ranker's constructor alone took 3.8-9.4 s on 2 shared
cores; the first turn after a fee change waited 6.0 s, against 1 ms in steady state
(docs/benchmarks.md). So they are updated in place (their ``update``, under their own lock): they
get the new catalogue and keep only the embeddings of the matters that did not change; the changed
matters are embedded at once on a background thread (a turn meanwhile waits on the object's lock
for those few matters at most, never for all): the first turn after a fee change took 0.7 s.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Optional


def _cached(module: str, name: str) -> Any:
    """The builder if its module was imported in this process (nothing to drop otherwise)."""
    loaded = sys.modules.get(module)
    builder = getattr(loaded, name, None) if loaded is not None else None
    return builder if builder is not None and hasattr(builder, "cache_clear") else None


def drop(old: Optional[Any], new: Any) -> None:
    """After ``old`` became ``new``: the index is built again, the matcher and the ranker updated
    in place, and the changed matters embedded on a background thread."""
    index = _cached("knowledge.search", "get_index")
    if index is not None:
        index.cache_clear()
    semantic = sys.modules.get("knowledge.semantic")
    if semantic is None or old is None:
        return
    changed = [m for m, matter in new.matters.items() if old.matters.get(m) != matter]
    kept = [m for m in new.matters if m not in changed]
    matcher = _built(semantic, "get_matcher")
    ranker = _built(semantic, "get_ranker")
    if matcher is not None:
        matcher.update(new, set(kept))
    if ranker is not None:
        from knowledge.answers import matter_answer

        ranker.update(new, lambda matter, aspect, lang: matter_answer(matter, new, aspect, lang).text, set(kept))
    if matcher is not None and changed:
        threading.Thread(target=_embed, args=(matcher, ranker, changed), name="catalogue-rewarm", daemon=True).start()


def _built(module: Any, name: str) -> Any:
    """The object a cached builder holds, or ``None`` when it was never built here."""
    builder = getattr(module, name, None)
    if builder is None or not hasattr(builder, "cache_info") or not builder.cache_info().currsize:
        return None
    return builder()  # the cached object, not a new one


def _embed(matcher: Any, ranker: Any, matter_ids: list) -> None:
    """Embed the changed matters through the objects' own public calls (their locks apply)."""
    try:
        for matter_id in matter_ids:
            matcher.likeness("warm", matter_id)
            for lang in ("zh", "en"):
                if ranker is not None:
                    ranker.rank("warm", [matter_id], lang, None, matcher)
    except Exception as err:  # noqa: BLE001 - a turn will build what is missing itself
        from assistant.logs import log_event

        log_event("catalogue.rewarm.failed", error=type(err).__name__)
