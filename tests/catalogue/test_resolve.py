"""The resolver over every matter (hand-written and imported) with the real sentence encoder: a
matter imported while it runs is found within the check interval, without a restart; and the
plain-text answer of an imported matter."""

from __future__ import annotations

import time

import pytest

from knowledge.catalogue import get_catalogue
from knowledge.catalogue_import.store import import_bytes
from knowledge.db import make_engine, make_sessionmaker, read
from knowledge.imported import LiveImported, load_imported
from knowledge.imported_answer import render
from knowledge.resolve import LiveResolver, e5_caches, e5_encoder
from knowledge.schema import prepare_database
from tests.catalogue.conftest import GOOD_AND_BAD, csv_bytes, row

BENCH_ZH = "我想给公园捐一把长椅，纪念我妈妈"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("resolve")
    engine = make_engine(f"sqlite:///{folder / 'resolve.db'}")
    prepare_database(engine)
    imported = LiveImported(engine, check_seconds=0.5)
    resolver = LiveResolver(get_catalogue(), imported, e5_caches(folder / "embeddings"), e5_encoder("query"))
    yield resolver, imported, make_sessionmaker(engine), engine
    engine.dispose()


def test_hand_written_matters_are_resolved_in_both_languages(live):
    resolver, *_ = live
    assert resolver.resolve("身份证丢了怎么补办", "zh")[0][0] == "id_card"
    assert resolver.resolve("how do I renew my passport", "en")[0][0] == "passport"
    assert resolver.resolve("驾造到期了去哪换", "zh")[0][0] == "driver_license"  # homophone of 驾照


def test_an_imported_matter_is_resolvable_without_a_restart(live):
    resolver, imported, sessions, _ = live
    assert all(m != "t_bench_001" for m, _ in resolver.resolve(BENCH_ZH, "zh"))
    import_bytes(sessions, csv_bytes(GOOD_AND_BAD), "list.csv")
    time.sleep(0.6)  # the check interval of this resolver (60 s is the promise; 10 s the default)
    ranked = resolver.resolve(BENCH_ZH, "zh")
    assert ranked[0][0] == "t_bench_001", ranked
    assert resolver.resolve("公园的椅子能不能由我们单位出钱捐", "zh")[0][0] == "t_bench_001"
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    stamp = imported.stamp
    import_bytes(sessions, csv_bytes(GOOD_AND_BAD), "list.csv")  # unchanged: nothing is re-read
    assert imported.refresh() is False and imported.stamp == stamp


def test_the_answer_of_an_imported_matter(live):
    _, _, sessions, engine = live
    import_bytes(sessions, csv_bytes([row("T-RENDER-1", "游船码头泊位申请", 收费标准="每月200元", 办理形式="窗口",
                                          承诺办结时限="即办")]), "one.csv")
    matter = read(engine, load_imported)["t_render_1"]
    zh = render(matter, "zh")
    for fact in ("游船码头泊位申请", "居民身份证（原件1份）", "收费：每月200元", "即办", "需到窗口办理",
                 "江州市民中心F区F30号窗口", "工作日 9:00-17:00", "0576-88000000"):
        assert fact in zh, fact
    en = render(matter, "en")
    assert "in person" in en and "Enquiries: 0576-88000000" in en and "居民身份证 (original)" in en
    assert render(matter, "zh", "fee") == "游船码头泊位申请：收费：每月200元。"
    with pytest.raises(ValueError):
        render(matter, "zh", "weather")
