"""What a publication costs the process that answers (issue 17): a turn's catalogue work in steady
state, the first turn after staff publish a change (another matter, then the edited one), and the
stamp query every process makes at most every ``CIVIC_CATALOGUE_CHECK_SECONDS``.

    .venv/bin/python bench/publication.py

Runs over a fresh SQLite database with the real sentence encoder (the semantic matcher and the
answer ranker warmed as the action server warms them at start).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from knowledge import editor, published, semantic
    from knowledge.catalogue import get_catalogue
    from knowledge.db import make_engine, make_sessionmaker, read
    from knowledge.published import published_stamp
    from knowledge.schema import prepare_database
    from knowledge.search import get_index

    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/publication.db")
    prepare_database(engine)
    sessions = make_sessionmaker(engine)
    published.configure(engine, 0.0)  # check on every call: the worst case
    started = time.perf_counter()
    semantic.warm()
    print(f"warm at start: {time.perf_counter() - started:.1f} s")

    def turn(matter: str) -> float:
        started = time.perf_counter()
        get_catalogue()
        get_index()
        semantic.get_matcher().best("照片可以自己带吗", matter)
        semantic.get_ranker().rank("照片可以自己带吗", [matter], "zh", None, semantic.get_matcher())
        return (time.perf_counter() - started) * 1000

    steady = [turn("passport") for _ in range(20)][5:]
    print(f"steady turn: median {statistics.median(steady):.1f} ms")
    for fee in ("护照140元", "护照150元"):
        content = editor.shipped_content("passport")
        content["fees"]["zh"] = fee
        with sessions.begin() as session:
            row = editor.save_draft(session, matter_id="passport", content=content, user="bench")
            editor.publish(session, matter_id="passport", number=row.number, user="bench")
        print(f"publication: first turn (another matter) {turn('id_card'):.0f} ms, "
              f"first on the edited matter {turn('passport'):.0f} ms, next {turn('passport'):.1f} ms")
        if get_catalogue().matter("passport").fees.zh != fee:
            raise SystemExit("the publication was not seen")
    stamps = []
    for _ in range(200):
        started = time.perf_counter()
        read(engine, published_stamp)
        stamps.append((time.perf_counter() - started) * 1000)
    print(f"stamp query (SQLite): median {statistics.median(stamps):.2f} ms")


if __name__ == "__main__":
    main()
