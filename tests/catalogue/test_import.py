"""The import of a published service-matter list: .csv, .xlsx and .json, cleaning, bad rows by
line, idempotence, departments from 实施主体, and the hand-written matters left alone."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import openpyxl
import pytest
from sqlalchemy import func, select

from assistant.errors import InputError
from assistant.settings import PROJECT_ROOT
from knowledge.catalogue_import.clean import parse_material
from knowledge.catalogue_import.store import import_bytes
from knowledge.catalogue_models import CatalogueImport, CatalogueMatter
from knowledge.db import read
from knowledge.imported import catalogue_stamp, load_imported
from knowledge.models import Department
from tests.catalogue.conftest import GOOD_AND_BAD, HEADER, csv_bytes, row


def test_csv_import_reports_bad_rows_by_line_and_stores_the_good_ones(sessions, engine):
    report = import_bytes(sessions, csv_bytes(GOOD_AND_BAD), "list.csv")
    assert (report.rows, report.matters, report.created, report.updated, report.unchanged) == (7, 2, 2, 0, 0)
    bad = {b.line: b.reason for b in report.bad_rows}
    assert set(bad) == {4, 5, 6, 8}
    assert "事项编码 is missing" in bad[4]
    assert "承诺办结时限" in bad[5] and "法定办结时限" in bad[5]
    assert "办理形式" in bad[6] and "邮寄" in bad[6]
    assert "phone" in bad[8] and "row 7" in bad[8]  # a later row disagrees with the matter's first row
    matters = read(engine, load_imported)
    bench = matters["t_bench_001"]
    assert bench.name_zh == "公园长椅认捐" and bench.department_zh == "江州市测试局"
    assert [i.name for i in bench.items] == ["个人认捐", "单位认捐"]
    assert [(m.name, m.form, m.copies) for m in bench.items[1].materials] == [
        ("营业执照复印件", "copy", 1), ("认捐申请书", "original", 2)]
    assert bench.items[0].materials[1].notes == "" and bench.channel == "online_and_in_person"
    assert (bench.statutory_days, bench.promised_days, bench.items[0].fee_yuan) == (20, 5, 0)
    boat = matters["t_boat_004"]
    assert (boat.promised_days, boat.channel, boat.items[0].fee_yuan) == (0, "in_person", 200)
    assert boat.items[0].materials[0].form == "original_and_copy"
    assert "外地船只" in boat.items[0].materials[0].notes


def test_the_same_file_twice_changes_nothing_and_a_change_is_a_new_version(sessions, engine):
    data = csv_bytes(GOOD_AND_BAD)
    import_bytes(sessions, data, "list.csv")
    stamp = read(engine, catalogue_stamp)
    with sessions() as session:
        departments = session.execute(select(func.count()).select_from(Department)).scalar_one()
    again = import_bytes(sessions, data, "list.csv")
    assert (again.created, again.updated, again.unchanged, again.departments_created) == (0, 0, 2, 0)
    assert read(engine, catalogue_stamp) == stamp
    with sessions() as session:
        assert session.execute(select(func.count()).select_from(Department)).scalar_one() == departments
        assert session.execute(select(func.count()).select_from(CatalogueImport)).scalar_one() == 2  # audited
    changed = [dict(r) for r in GOOD_AND_BAD]
    changed[0]["收费标准"] = "每张长椅3000元"
    report = import_bytes(sessions, csv_bytes(changed), "list.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert read(engine, catalogue_stamp) != stamp
    with sessions() as session:
        bench = session.get(CatalogueMatter, "t_bench_001")
        assert bench.version == 2
    assert read(engine, load_imported)["t_bench_001"].items[0].fee_yuan == 3000


def test_a_new_implementing_body_becomes_a_department_and_a_known_one_is_reused(sessions):
    import_bytes(sessions, csv_bytes([row("T-A-1", "甲事项"), row("T-B-2", "乙事项", 实施主体="江州市民政局")]),
                 "list.csv")
    with sessions() as session:
        rows = dict(session.execute(select(CatalogueMatter.code, Department.code)
                                    .join(Department, Department.id == CatalogueMatter.department_id)).all())
        created = session.execute(select(Department).where(Department.name_zh == "江州市测试局")).scalar_one()
    assert rows["T-B-2"] == "civil_affairs"  # 江州市民政局 is the reference department 民政局
    assert rows["T-A-1"] == created.code and created.code.isascii()


def test_rows_for_hand_written_matters_are_skipped(sessions, engine):
    report = import_bytes(sessions, csv_bytes([row("T-ID-1", "居民身份证办理"), row("T-OK-2", "风筝放飞场地预约")]),
                          "list.csv")
    assert [(s.line, s.matter_id) for s in report.skipped] == [(2, "id_card")]
    assert set(read(engine, load_imported)) == {"t_ok_2"}


def test_xlsx_with_a_title_row_counts_lines_as_the_sheet_does(sessions, engine):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["江州市政务服务事项目录（2026年版）"])
    sheet.append(HEADER)
    for item in (row("T-X-1", "风筝放飞场地预约"), row("T-X-2", "", 实施主体="")):
        sheet.append([item[h] for h in HEADER])
    sheet["L3"] = 576880000  # a phone typed as a number
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_bytes(sessions, buffer.getvalue(), "目录.xlsx")
    assert report.created == 1 and [(b.line, b.code) for b in report.bad_rows] == [(4, "T-X-2")]
    assert "事项名称 is missing" in report.bad_rows[0].reason
    assert read(engine, load_imported)["t_x_1"].phone == "576880000"


def test_json_with_english_headers(sessions, engine):
    records = [
        {"code": "T-J-1", "name": "Kite field booking", "department": "江州市测试局", "channel": "online",
         "materials": [{"name": "ID card", "form": "original"}, "申请表（复印件2份）"],
         "statutory_time_limit": "10 working days", "promised_time_limit": "same day", "name_en": "Kite field",
         "fee": "free"},
        "not an object",
        {"code": "T-J-3", "name": "Bad count", "department": "江州市测试局", "channel": "窗口",
         "materials": [{"name": "ID card", "copies": 99}]},
    ]
    report = import_bytes(sessions, json.dumps({"matters": records}).encode(), "list.json")
    assert report.created == 1 and [b.line for b in report.bad_rows] == [2, 3]
    kite = read(engine, load_imported)["t_j_1"]
    assert (kite.name_en, kite.channel, kite.statutory_days, kite.promised_days) == ("Kite field", "online", 10, 0)
    assert [(m.name, m.form, m.copies) for m in kite.items[0].materials] == [
        ("ID card", "original", 1), ("申请表", "copy", 2)]


@pytest.mark.parametrize("data, name, problem", [
    (b"not a zip", "list.xlsx", "not an .xlsx workbook"),
    (b"a,b\n1,2\n", "list.csv", "no header line"),
    (b"[1", "list.json", "not valid JSON"),
    (b"{}", "list.exe", "only .xlsx, .csv and .json"),
])
def test_unreadable_files_are_refused_with_a_reason(sessions, data, name, problem):
    with pytest.raises(InputError, match=problem):
        import_bytes(sessions, data, name)


def test_materials_are_read_as_published():
    assert parse_material("户口簿（原件及复印件各1份，集体户提供首页复印件）").form == "original_and_copy"
    assert parse_material("1. 近期免冠照片（2张）").copies == 2
    assert parse_material("申请书（原件五份）").copies == 5


def test_civic_catalogue_import_command(catalogue_db, base_env, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(GOOD_AND_BAD))
    env = dict(base_env, CIVIC_DATABASE_URL=catalogue_db)
    run = [sys.executable, "-m", "assistant", "catalogue", "import", str(path)]
    first = subprocess.run(run, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 1, first.stderr  # there were bad rows
    assert "2 created" in first.stdout and "line 5: T-KITE-002" in first.stdout
    second = subprocess.run(run, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "0 created, 0 updated, 2 unchanged" in second.stdout


def test_the_demo_catalogue_is_a_city_sized_list_and_seeding_it_twice_changes_nothing(tmp_path):
    from assistant.settings import load_settings
    from knowledge.catalogue_import.seed import seed
    from knowledge.db import make_engine

    settings = load_settings(environment="test", var_dir=str(tmp_path), database_url=f"sqlite:///{tmp_path / 'demo.db'}")
    seed(settings)
    engine = make_engine(settings.effective_database_url)
    try:
        matters = read(engine, load_imported)
        stamp = read(engine, catalogue_stamp)
        seed(settings)
        assert read(engine, catalogue_stamp) == stamp
    finally:
        engine.dispose()
    assert len(matters) >= 300
    assert len({m.department_zh for m in matters.values()}) >= 25
    assert all(m.name_en and m.overview_en and m.overview_zh and m.items[0].materials for m in matters.values())
    assert not set(matters) & set(get_catalogue_ids())


def get_catalogue_ids():
    from knowledge.catalogue import get_catalogue

    return get_catalogue().matters
