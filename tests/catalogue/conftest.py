"""Fixtures for the catalogue import: fresh databases of both kinds, and small lists in the
published shape with known good and bad rows."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
from sqlalchemy import create_engine, text

from knowledge.db import make_engine, make_sessionmaker
from knowledge.schema import prepare_database
from tests.conftest import POSTGRES_ADMIN_URL

HEADER = ["事项编码", "事项名称", "实施主体", "办理项", "受理条件", "申请材料", "收费标准", "法定办结时限",
          "承诺办结时限", "办理地点", "办理时间", "咨询电话", "设定依据", "办理形式"]


def row(code: str, name: str, **changes) -> dict:
    base = {"事项编码": code, "事项名称": name, "实施主体": "江州市测试局", "办理项": "",
            "受理条件": "本市居民", "申请材料": "居民身份证（原件1份）\n申请表（原件1份，可在窗口领取）",
            "收费标准": "不收费", "法定办结时限": "20个工作日", "承诺办结时限": "5个工作日",
            "办理地点": "江州市民中心F区F30号窗口", "办理时间": "工作日 9:00-17:00", "咨询电话": "0576-88000000",
            "设定依据": "《测试条例》", "办理形式": "网办+窗口"}
    base.update(changes)
    return base


def csv_bytes(rows: List[dict], header: List[str] = HEADER, title: str = "") -> bytes:
    buffer = io.StringIO()
    if title:
        buffer.write(title + "\n")
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


#: Rows 2-8 of the list (row 1 is the header): three good matters (one with two items), four bad rows.
GOOD_AND_BAD = [
    row("T-BENCH-001", "公园长椅认捐", 办理项="个人认捐", 申请材料="居民身份证（原件1份）\n认捐申请书（原件1份）"),
    row("T-BENCH-001", "公园长椅认捐", 办理项="单位认捐", 申请材料="营业执照复印件（加盖公章）\n认捐申请书（原件2份）"),
    row("", "没有编码的事项"),
    row("T-KITE-002", "风筝放飞场地预约", 实施主体="江州市民政局", 法定办结时限="3个工作日", 承诺办结时限="5个工作日"),
    row("T-KITE-003", "风筝节摊位申请", 办理形式="邮寄"),
    row("T-BOAT-004", "游船码头泊位申请", 收费标准="每月200元", 法定办结时限="即办", 承诺办结时限="即办",
        办理形式="窗口", 申请材料="船舶证书（原件及复印件各1份，外地船只另附检验报告）"),
    row("T-BOAT-004", "游船码头泊位申请", 办理项="续租", 咨询电话="0576-99999999", 办理形式="窗口"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def catalogue_db(request, tmp_path: Path) -> Iterator[str]:
    """A fresh database for each test, migrated to head."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'catalogue.db'}"
        engine = make_engine(url)
        prepare_database(engine)
        engine.dispose()
        yield url
        return
    request.getfixturevalue("postgres_url")  # skips cleanly where PostgreSQL is absent
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    name = f"civic_catalogue_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    try:
        engine = make_engine(url)
        prepare_database(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture()
def engine(catalogue_db: str):
    engine = make_engine(catalogue_db)
    yield engine
    engine.dispose()


@pytest.fixture()
def sessions(engine):
    return make_sessionmaker(engine)
