"""The smaller data findings of issue 15: Unicode digits in case numbers, the notification
follower list under concurrent writes, expired keys in the memory store, where accepted FAQ drafts
go, and one conversation map for every worker."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from actions.parsing import find_case_number
from analytics.listener import TurnLogger
from analytics.writer import LogWriter
from assistant.core.turns import Reply, Turn, TurnResult
from assistant.state import MemoryStore, RedisStore
from channels.wechat.notify import CaseNotifier, parse_command
from knowledge.case_events import StatusChange
from knowledge.cases import RecordError, validate_record
from knowledge.cleaning import normalise_case_number, normalise_phone, parse_datetime
from tests.data.conftest import record

ARABIC_INDIC = "٢٠٢٤٠٠١٢٣٤"  # 2024001234 in Arabic-Indic digits: \d matches them
DEVANAGARI = "२०२४००१२३४"


@pytest.mark.parametrize("digits", [ARABIC_INDIC, DEVANAGARI, "𝟐𝟎𝟐𝟒𝟎𝟎𝟏𝟐𝟑𝟒"])
def test_unicode_digits_are_not_case_number_digits(digits: str) -> None:
    with pytest.raises(ValueError):
        normalise_case_number("SZ" + digits)
    with pytest.raises(RecordError):
        validate_record(record("SZ" + digits), "exit_entry", datetime(2025, 1, 1))
    assert find_case_number(f"我的办件编号是SZ{digits}") is None
    command = parse_command(f"通知我 SZ{digits} 5678")
    assert command is None or command.case_number is None
    with pytest.raises(ValueError):
        normalise_phone("138" + digits[:8])
    with pytest.raises(ValueError):
        parse_datetime(f"{digits[:4]}年5月6日", "submitted_at")


def test_full_width_case_numbers_are_still_understood() -> None:
    assert normalise_case_number("ＳＺ２０２４００１２３４") == "SZ2024001234"


class _WeChatMessages:
    """Stands in for WeChat's template-message API (the one fake the project allows)."""

    def __init__(self) -> None:
        self.sent = []

    def send_template(self, openid, template_id, data, url=None):  # type: ignore[no-untyped-def]
        self.sent.append(openid)
        return {"errcode": 0}


@pytest.fixture(params=["memory", "redis"])
def store(request):  # type: ignore[no-untyped-def]
    if request.param == "memory":
        return MemoryStore()
    return RedisStore(request.getfixturevalue("redis_url"), prefix=f"civic-test-{uuid.uuid4().hex[:8]}:")


def test_no_follower_is_lost_when_many_link_the_same_case_at_once(store, tmp_path: Path) -> None:
    from knowledge.db import make_engine, make_sessionmaker

    wechat = SimpleNamespace(message=_WeChatMessages())
    sessions = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'notify.db'}"))  # the check is not used here
    notifier = CaseNotifier(store, "wx", client=None, template_id="", sessions=sessions, salt="pepper")
    threads, per_thread = 8, 25
    start = threading.Barrier(threads)

    def link_many(t: int) -> None:
        start.wait()
        for n in range(per_thread):
            notifier.link("SZ2024001234", f"openid-{t}-{n}", f"user-{t}-{n}")

    workers = [threading.Thread(target=link_many, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    notifier._client, notifier._template_id = wechat, "tmpl"
    sent = notifier._notify(StatusChange("SZ2024001234", "exit_entry", "received", "approved"))
    assert sent == threads * per_thread
    assert notifier.withdraw_all("user-0-0") == 1
    assert notifier._notify(StatusChange("SZ2024001234", "exit_entry", "approved", "completed")) == \
        threads * per_thread - 1


def test_the_memory_store_drops_expired_keys_nobody_asks_for() -> None:
    now = [0.0]
    store = MemoryStore(clock=lambda: now[0])
    for n in range(20_000):  # e.g. WeChat message ids, each seen once
        store.set_if_absent(f"dedup:{n}", "1", ttl=10)
    now[0] = 11.0
    for n in range(5_000):
        store.set(f"other:{n}", "1", ttl=10)
    assert len(store) <= 5_000 + store.SWEEP_EVERY
    assert store.get("other:1") == "1"


def test_unreviewed_drafts_never_reach_the_recogniser(tmp_path) -> None:
    """Accepted FAQ candidates are drafts in the database (the catalogue editor), never files the
    recogniser's prompt could read; a stray draft file in the catalogue folder is skipped too."""
    from assistant.voice import stt

    catalogue = tmp_path / "catalogue"
    (catalogue / "drafts").mkdir(parents=True)
    (catalogue / "passport.yaml").write_text("name: {zh: 护照, en: passport}\n", encoding="utf-8")
    (catalogue / "drafts" / "faq_zh_x.yaml").write_text("name: {zh: 未审核词, en: unreviewed}\n",
                                                       encoding="utf-8")
    (catalogue / "loose_draft.yaml").write_text("status: draft\nname: {zh: 草稿词, en: drafted}\n",
                                                encoding="utf-8")
    terms = stt.catalogue_terms(catalogue)
    assert "护照" in terms["zh"]
    assert not {"未审核词", "草稿词"} & set(terms["zh"]) and not {"unreviewed", "drafted"} & set(terms["en"])


async def test_every_worker_puts_one_persons_turns_in_one_conversation(redis_url, tmp_path) -> None:
    prefix = f"civic-test-{uuid.uuid4().hex[:8]}:"
    t0 = datetime(2024, 3, 4, 8, 0, tzinfo=timezone.utc)
    times = iter([t0, t0 + timedelta(minutes=1), t0 + timedelta(minutes=2), t0 + timedelta(hours=3)])
    clock = lambda: next(times)  # noqa: E731  (the turns reach the two workers in this order)
    writers = [LogWriter(str(tmp_path / f"w{i}"), flush_seconds=3600) for i in range(2)]
    workers = [TurnLogger(w, salt="pepper", clock=clock, store=RedisStore(redis_url, prefix)) for w in writers]
    reply = TurnResult(sender="p", lang="zh", replies=[Reply("好")], topic=None, intent=None, confidence=None)
    ids = [workers[n % 2].record(Turn("person-1", "你好"), reply, 0.1)["conversation_id"] for n in range(4)]
    assert ids[0] == ids[1] == ids[2] != ids[3]  # both workers agree; a long silence starts a new one
