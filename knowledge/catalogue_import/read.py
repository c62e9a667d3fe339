"""Rows of a published service-matter list, from .xlsx, .csv or .json bytes, with their row numbers.

Lists come from many systems: a title line above the header, Chinese or English headers with
full-width brackets, a BOM or GBK from Excel, one material per line inside a cell. Everything here
is about getting (row number, {field: raw value}) pairs out of the file; what the values mean is
:mod:`knowledge.catalogue_import.clean`'s job. Row numbers are the ones a spreadsheet shows (the
header's row counts), and JSON records count from 1, so a clerk can find the row.

The file is hostile until proven otherwise: its size is limited before it reaches us, a workbook's
unpacked size and entry count are checked before openpyxl opens it (a zip bomb), XML is parsed
with defusedxml (openpyxl uses it when installed), and rows and cells are capped.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from typing import Any, Dict, List, Optional, Tuple

from assistant.errors import InputError

MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # a 300-matter workbook unpacks to well under 1 MB
MAX_ZIP_ENTRIES = 2_000
HEADER_SEARCH_ROWS = 5  # a title line or two may sit above the header

#: Column headers as published (and English aliases) -> our field names.
HEADERS: Dict[str, str] = {}
for _field, _names in {
    "code": ("事项编码", "基本编码", "实施编码", "事项代码", "code", "matter code", "matter_code"),
    "name_zh": ("事项名称", "name", "matter name", "matter_name", "name_zh"),
    "department": ("实施主体", "实施机构", "实施部门", "department", "implementing department"),
    "item": ("办理项", "办理项名称", "item", "handling item", "handling_item"),
    "eligibility": ("受理条件", "申请条件", "eligibility", "conditions"),
    "materials": ("申请材料", "材料清单", "申报材料", "materials"),
    "fee": ("收费标准", "收费情况", "fee", "fees", "fee standard"),
    "statutory": ("法定办结时限", "statutory time limit", "statutory_time_limit", "statutory_days"),
    "promised": ("承诺办结时限", "promised time limit", "promised_time_limit", "promised_days"),
    "place": ("办理地点", "place", "where", "address"),
    "window": ("办理窗口", "window"),
    "hours": ("办理时间", "hours", "opening hours", "opening_hours"),
    "phone": ("咨询电话", "咨询方式", "phone", "enquiry phone", "telephone"),
    "legal_basis": ("设定依据", "legal basis", "legal_basis"),
    "channel": ("办理形式", "channel", "how to apply", "mode"),
    "name_en": ("英文名称", "事项名称(英文)", "name_en", "english name"),
    "overview_zh": ("事项简介", "事项概述", "overview", "overview_zh", "summary"),
    "overview_en": ("英文简介", "事项简介(英文)", "overview_en", "english overview"),
    "synonyms": ("常用说法", "别名", "关键词", "synonyms", "keywords"),
    "department_en": ("实施主体(英文)", "department_en", "department (english)"),
}.items():
    for _name in _names:
        HEADERS[unicodedata.normalize("NFKC", _name).replace(" ", "").lower()] = _field
FIELDS = frozenset(HEADERS.values())

Row = Tuple[int, Dict[str, Any]]


def header_key(text: Any) -> str:
    """A header as looked up: NFKC (full-width brackets), no spaces, lower case."""
    return unicodedata.normalize("NFKC", str(text or "")).replace(" ", "").replace("\u3000", "").lower()


def read_rows(data: bytes, filename: str) -> List[Row]:
    """(row number, {field: raw value}) for every non-blank row of the file; the kind comes from the name."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xlsx":
        table = _xlsx_table(data, filename)
    elif suffix in ("csv", "txt"):
        table = [(i + 1, row) for i, row in enumerate(csv.reader(io.StringIO(_decode(data, filename), newline="")))]
    elif suffix == "json":
        return _json_rows(data, filename)
    else:
        raise InputError(f"{filename}: only .xlsx, .csv and .json service-matter lists can be imported")
    return _table_rows(table, filename)


def _table_rows(table: List[Tuple[int, List[Any]]], filename: str) -> List[Row]:
    header_at = _header_index(table)
    if header_at is None:
        raise InputError(f"{filename}: no header line with 事项编码 and 事项名称 (code, name) in the first "
                         f"{HEADER_SEARCH_ROWS} rows")
    header = [HEADERS.get(header_key(cell)) for cell in table[header_at][1][:MAX_COLUMNS]]
    rows: List[Row] = []
    for number, cells in table[header_at + 1:]:
        values = {field: cell for field, cell in zip(header, cells[:MAX_COLUMNS]) if field}
        if not any(str(v).strip() for v in values.values() if v is not None):
            continue  # blank lines are not errors
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise InputError(f"{filename}: more than {MAX_ROWS} rows")
    return rows


def _header_index(table: List[Tuple[int, List[Any]]]) -> Optional[int]:
    for index, (_, cells) in enumerate(table[:HEADER_SEARCH_ROWS]):
        fields = {HEADERS.get(header_key(c)) for c in cells[:MAX_COLUMNS]}
        if {"code", "name_zh"} <= fields:
            return index
    return None


def _xlsx_table(data: bytes, filename: str) -> List[Tuple[int, List[Any]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as err:
        raise InputError(f"{filename}: not an .xlsx workbook") from err
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        raise InputError(f"{filename}: the workbook unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB")
    import openpyxl  # only the processes that import workbooks pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(f"{filename}: cannot read the workbook ({type(err).__name__})") from err
    try:
        sheet = book.worksheets[0]
        table = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            table.append((number, ["" if c is None else c for c in cells]))
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise InputError(f"{filename}: more than {MAX_ROWS} rows")
        return table
    finally:
        book.close()


def _json_rows(data: bytes, filename: str) -> List[Row]:
    try:
        parsed = json.loads(_decode(data, filename))
    except json.JSONDecodeError as err:
        raise InputError(f"{filename}: not valid JSON ({err.msg} at line {err.lineno})") from err
    if isinstance(parsed, dict):
        parsed = parsed.get("matters")
    if not isinstance(parsed, list):
        raise InputError(f"{filename}: expected a JSON list of matters (or {{\"matters\": [...]}})")
    if len(parsed) > MAX_ROWS:
        raise InputError(f"{filename}: more than {MAX_ROWS} records")
    rows: List[Row] = []
    for index, record in enumerate(parsed, start=1):
        if not isinstance(record, dict):
            rows.append((index, {"__problem__": "record must be a JSON object"}))
            continue
        rows.append((index, {HEADERS[header_key(k)]: v for k, v in record.items() if header_key(k) in HEADERS}))
    return rows


def _decode(data: bytes, filename: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{filename}: the file is neither UTF-8 nor GBK text")
