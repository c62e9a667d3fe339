"""`civic import cases`: cleaning, Chinese headers and statuses, line numbers of bad rows."""

from __future__ import annotations

import json

import pytest

from sqlalchemy import select, text

from knowledge.cases import push_cases
from knowledge.importer import import_file
from knowledge.models import Case
from tests.data.conftest import new_case_number, record

CSV_HEADER = "办件编号,事项,部门,申请人,手机号,办理状态,受理时间,更新时间,备注,内部字段\n"


def test_csv_import_cleans_and_reports_bad_rows_by_line(sessions, tmp_path):
    a, b, c = new_case_number("CS"), new_case_number("CS"), new_case_number("CS")
    lines = [
        f"  {a.lower()} ,passport,exit_entry,  王五 ,+86 139 1234 4321,审核中,2024/5/6 9:30,2024年5月7日 14:00,  请耐心等待 ,x\n",
        "\n",  # blank line 3 is skipped, not an error
        f"{b},passport,exit_entry,赵六,0086-139-0000-1111,待领取,20240506,2024-05-08,,x\n",
        f"{c},passport,exit_entry,钱七,139,已受理,2024-05-06,2024-05-06,,x\n",
        f"{new_case_number('CS')},passport,exit_entry,孙八,13900001111,飞走了,2024-05-06,,,x\n",
        f"{new_case_number('CS')},passport,,周九,13900001111,已受理,2024-05-06,,,x\n",
    ]
    path = tmp_path / "export.csv"
    path.write_bytes((CSV_HEADER + "".join(lines)).encode("gb18030"))  # Excel's Chinese default
    report = import_file(sessions, path)
    assert (report.total, report.created, len(report.bad_rows)) == (5, 2, 3)
    assert [r.index for r in report.bad_rows] == [5, 6, 7]
    assert "phone" in report.bad_rows[0].reason and "status" in report.bad_rows[1].reason
    assert "department" in report.bad_rows[2].reason
    assert any("line 5" in line for line in report.lines())
    with sessions() as session:
        first = session.execute(select(Case).where(Case.case_number == a)).scalar_one()
        second = session.execute(select(Case).where(Case.case_number == b)).scalar_one()
    assert (first.applicant_name, first.phone, first.status, first.note) == (
        "王五", "13912344321", "under_review", "请耐心等待")
    assert first.submitted_at.isoformat() == "2024-05-06T01:30:00"
    assert first.updated_at.isoformat() == "2024-05-07T06:00:00"
    assert (second.phone, second.status) == ("13900001111", "ready_for_pickup")
    again = import_file(sessions, path)  # importing the same file twice changes nothing
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_json_import_with_a_default_department(sessions, tmp_path):
    number = new_case_number("JS")
    rows = [{k: v for k, v in record(number, status="已办结").items() if k != "department"},
            {"case_number": "nope"}]
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"cases": rows}, ensure_ascii=False), encoding="utf-8")
    report = import_file(sessions, path, department="exit_entry")
    assert report.created == 1 and [r.index for r in report.bad_rows] == [2]
    with sessions() as session:
        assert session.execute(select(Case.status).where(Case.case_number == number)).scalar_one() == "completed"


def test_import_command_exit_status_and_report(base_env, data_sqlite_url, tmp_path):
    import subprocess
    import sys

    from assistant.settings import PROJECT_ROOT

    path = tmp_path / "cases.json"
    path.write_text(json.dumps([record(new_case_number("CL")), {"case_number": "x"}]), encoding="utf-8")
    env = dict(base_env, CIVIC_DATABASE_URL=data_sqlite_url)
    out = subprocess.run([sys.executable, "-m", "assistant", "import", "cases", str(path)],
                         cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    assert "1 created" in out.stdout and "line 2" in out.stdout
    missing = subprocess.run([sys.executable, "-m", "assistant", "import", "cases", "nope.xlsx"],
                             cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "no such file" in missing.stderr


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # needs a refusing trigger
def test_a_record_the_database_refuses_costs_only_itself(sessions, engine):
    """The fast path fails as a whole; per-record savepoints keep the good records."""
    refused = new_case_number("RF")
    with engine.begin() as conn:
        conn.execute(text(f"""
            CREATE OR REPLACE FUNCTION refuse_{refused.lower()}() RETURNS trigger AS $$
            BEGIN
              IF NEW.case_number = '{refused}' THEN RAISE EXCEPTION 'refused by trigger'; END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql"""))
        conn.execute(text(f"CREATE TRIGGER refuse_{refused.lower()} BEFORE INSERT ON cases FOR EACH ROW "
                          f"EXECUTE FUNCTION refuse_{refused.lower()}()"))
    try:
        good = [new_case_number("RF"), new_case_number("RF")]
        result = push_cases(sessions, "exit_entry", [record(good[0]), record(refused), record(good[1])])
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP TRIGGER refuse_{refused.lower()} ON cases"))
    assert result.created == 2
    assert [(r.index, r.case_number) for r in result.rejected] == [(1, refused)]
    assert "refused" in result.rejected[0].reason
    with sessions() as session:
        stored = set(session.execute(select(Case.case_number).where(
            Case.case_number.in_(good + [refused]))).scalars())
    assert stored == set(good)
