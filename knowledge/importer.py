"""Import case records from a department's CSV or JSON export, with a report of bad rows.

The same validation as the HTTP interface (``knowledge.cases``), plus what files need: Chinese
column headers, a BOM or a GBK encoding from Excel, and line numbers in the report so a clerk can
find the row. Each department's rows are pushed (and audited) as that department, in batches.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy.orm import sessionmaker

from assistant.errors import InputError
from knowledge.cases import FIELDS, Rejection, push_cases
from knowledge.cleaning import clean_text

#: Column headers as departments write them -> our field names.
HEADER_ALIASES = {
    "办件编号": "case_number", "受理编号": "case_number", "案件编号": "case_number", "编号": "case_number",
    "事项": "matter", "事项编码": "matter", "办理事项": "matter",
    "部门": "department", "部门编码": "department", "受理部门": "department",
    "申请人": "applicant_name", "申请人姓名": "applicant_name", "姓名": "applicant_name",
    "电话": "phone", "手机": "phone", "手机号": "phone", "联系电话": "phone",
    "状态": "status", "办理状态": "status", "办件状态": "status",
    "提交时间": "submitted_at", "受理时间": "submitted_at", "申请时间": "submitted_at",
    "更新时间": "updated_at", "最后更新": "updated_at",
    "备注": "note", "说明": "note",
}


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad_rows: List[Rejection] = field(default_factory=list)  # index = line number in the file

    def lines(self) -> List[str]:
        head = (f"{self.total} rows: {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged, {len(self.bad_rows)} rejected")
        return [head] + [f"  line {r.index}: {r.case_number or '-'}: {r.reason}" for r in self.bad_rows]


def read_records(path: Path) -> List[Tuple[int, Dict[str, Any]]]:
    """(line number, record) pairs; the header is line 1 of a CSV, JSON records count from 1."""
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(_decode(raw))
        except json.JSONDecodeError as err:
            raise InputError(f"{path.name}: not valid JSON ({err.msg} at line {err.lineno})") from err
        if isinstance(data, dict):
            data = data.get("cases")
        if not isinstance(data, list):
            raise InputError(f"{path.name}: expected a JSON list of records (or {{\"cases\": [...]}})")
        return [(i + 1, _rename(r) if isinstance(r, dict) else r) for i, r in enumerate(data)]
    if suffix in (".csv", ".txt"):
        reader = csv.reader(io.StringIO(_decode(raw), newline=""))
        rows = list(reader)
        if not rows:
            raise InputError(f"{path.name}: the file is empty")
        header = [HEADER_ALIASES.get(clean_text(h), clean_text(h).lower()) for h in rows[0]]
        if "case_number" not in header:
            raise InputError(f"{path.name}: no case_number column in the header line")
        records = []
        line = 1
        for row in rows[1:]:
            line += 1
            if not any(clean_text(c) for c in row):
                continue  # blank lines are not errors
            records.append((line, {h: c for h, c in zip(header, row) if h in FIELDS}))
        return records
    raise InputError(f"{path.name}: only .csv and .json files can be imported")


def import_file(sessions: sessionmaker, path: Path, department: Optional[str] = None,
                batch_size: int = 1000) -> ImportReport:
    report = ImportReport()
    groups: Dict[str, List[Tuple[int, Any]]] = {}
    for line, record in read_records(path):
        report.total += 1
        owner = department or (clean_text(record.get("department")) if isinstance(record, dict) else "")
        if not owner:
            number = record.get("case_number") if isinstance(record, dict) else None
            report.bad_rows.append(Rejection(line, clean_text(number) or None,
                                             "department is missing (or pass --department)"))
            continue
        groups.setdefault(owner, []).append((line, record))
    for owner, items in groups.items():
        for start in range(0, len(items), batch_size):
            chunk = items[start:start + batch_size]
            result = push_cases(sessions, owner, [r for _, r in chunk], source="import",
                                positions=[line for line, _ in chunk])
            report.created += result.created
            report.updated += result.updated
            report.unchanged += result.unchanged
            report.bad_rows.extend(result.rejected)
    report.bad_rows.sort(key=lambda r: r.index)
    return report


def _rename(record: Dict[str, Any]) -> Dict[str, Any]:
    renamed = {HEADER_ALIASES.get(clean_text(k), clean_text(k).lower()): v for k, v in record.items()}
    return {k: v for k, v in renamed.items() if k in FIELDS}  # extra export columns are ignored


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("the file is neither UTF-8 nor GBK text")
