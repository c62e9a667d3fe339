"""Cleaning and checking the rows of a service-matter list (pure functions).

Each row is checked on its own, so one bad row costs only itself and is reported with its row
number and a reason a clerk can act on. Rows of the same 事项编码 are one matter with several
handling items (办理项); the matter's own facts (name, department, time limits, place, hours,
phone, legal basis, channel) must agree between its rows, or the later row is refused (which of
two fees or phone numbers is right is not ours to guess).

Values are read the way published lists write them: "20个工作日", "即办", "五个工作日";
"不收费", "工本费20元"; "网办+窗口"; materials one per line, "居民身份证（原件1份）",
"户口簿（原件及复印件各1份，集体户提供首页复印件）".
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from knowledge.cleaning import clean_text

MAX_TEXT = 5000
MAX_NAME = 200
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHANNEL_WORDS = {
    "网办": "online", "全程网办": "online", "线上": "online", "网上办理": "online", "online": "online",
    "窗口": "in_person", "线下": "in_person", "窗口办理": "in_person", "现场办理": "in_person",
    "in person": "in_person", "in_person": "in_person",
    "网办+窗口": "online_and_in_person", "窗口+网办": "online_and_in_person", "线上+线下": "online_and_in_person",
    "网办/窗口": "online_and_in_person", "网办、窗口": "online_and_in_person", "both": "online_and_in_person",
    "online+in person": "online_and_in_person", "online and in person": "online_and_in_person",
    "online_and_in_person": "online_and_in_person",
}
#: the facts of a matter that every one of its rows must agree on
MATTER_FIELDS = ("name_zh", "name_en", "overview_zh", "overview_en", "department", "department_en",
                 "statutory_text", "promised_text", "place", "hours", "phone", "legal_basis", "channel")


class RowError(ValueError):
    """One row cannot be accepted; the message is the reason in the report."""


@dataclass(frozen=True)
class Material:
    name: str
    form: str = "original"  # original | copy | original_and_copy
    copies: int = 1
    notes: str = ""


@dataclass(frozen=True)
class Item:
    name: str
    eligibility: str
    fee: str
    fee_yuan: Optional[int]
    materials: Tuple[Material, ...]


@dataclass(frozen=True)
class MatterRow:
    """One cleaned row: the matter's facts and one handling item."""

    code: str
    name_zh: str
    name_en: str
    overview_zh: str
    overview_en: str
    synonyms: Tuple[str, ...]
    department: str
    department_en: str
    statutory_days: Optional[int]
    statutory_text: str
    promised_days: Optional[int]
    promised_text: str
    place: str
    hours: str
    phone: str
    legal_basis: str
    channel: str
    item: Item


@dataclass(frozen=True)
class MatterRecord:
    """A matter with all its handling items, ready to store."""

    row: MatterRow  # the first row's facts
    items: Tuple[Item, ...]
    lines: Tuple[int, ...]
    synonyms: Tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.row.code

    def content_hash(self) -> str:
        """Same content, same hash: a second import of the same file changes nothing."""
        body = asdict(self.row)
        body.pop("item")
        body["items"] = [asdict(i) for i in self.items]
        body["synonyms"] = list(self.synonyms)
        return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class BadRow:
    line: int
    code: Optional[str]
    reason: str


def text(raw: Mapping[str, Any], name: str, label: str, limit: int = MAX_TEXT, multiline: bool = False) -> str:
    """A cell as clean text: trimmed, inner whitespace collapsed (line breaks kept when asked)."""
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 20.0 is the 20 that was typed
    if not isinstance(value, (str, int, float)):
        raise RowError(f"{label} must be text")
    value = unicodedata.normalize("NFC", str(value))
    if _UNSTORABLE.search(value):
        raise RowError(f"{label} contains a control character or an unpaired surrogate")
    if multiline:
        lines = [clean_text(line) for line in re.split(r"\r\n|\r|\n", value)]
        value = "\n".join(line for line in lines if line)
    else:
        value = clean_text(value)
    if len(value) > limit:
        raise RowError(f"{label} is longer than {limit} characters")
    return value


def cn_number(token: str) -> int:
    """``20``, ``２０``, ``五``, ``十五``, ``二十`` -> int (what time limits and counts are written with)."""
    token = unicodedata.normalize("NFKC", token)
    if token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, units = token.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return _CN_DIGITS[token]


_NUMBER = r"([0-9０-９]+|[一二两三四五六七八九十]+)"
_SAME_DAY = ("即办", "当场", "立即", "即时", "当日", "当天", "same day", "immediately")


def parse_days(value: str, label: str) -> Optional[int]:
    """Working days of a time limit; 0 for same-day (即办), ``None`` when the list says none."""
    if not value or value in ("无", "-", "—", "/", "无时限", "none", "n/a"):
        return None
    if any(word in value.lower() for word in _SAME_DAY):
        return 0
    match = re.search(_NUMBER + r"\s*(个)?\s*(工作日|日|天|working days?|days?)", value, re.IGNORECASE)
    if not match:
        match = re.fullmatch(_NUMBER, value)
    if not match:
        raise RowError(f"{label} {value[:40]!r} is not a time limit we understand (e.g. 20个工作日, 即办)")
    days = cn_number(match.group(1))
    if days > 365:
        raise RowError(f"{label} is more than 365 days")
    return days


def parse_fee(value: str) -> Optional[int]:
    """Whole yuan when the fee standard states one amount or none; ``None`` when it is a schedule."""
    if not value or re.search(r"不收费|免费|无收费|^无$|free|no fee", value, re.IGNORECASE):
        return 0
    amounts = re.findall(r"([0-9]+(?:\.[0-9]+)?)\s*元", value)
    return int(round(float(amounts[0]))) if len(set(amounts)) == 1 else None


def parse_channel(value: str) -> str:
    key = re.sub(r"\s*([+＋/、])\s*", lambda m: "+" if m.group(1) in "+＋" else m.group(1), value.lower())
    channel = CHANNEL_WORDS.get(key)
    if channel is None:
        raise RowError(f"办理形式 {value[:40]!r}: expected 网办, 窗口 or 网办+窗口" if value
                       else "办理形式 is missing (网办, 窗口 or 网办+窗口)")
    return channel


def check_phone(value: str) -> str:
    if not value:
        return ""
    if re.search(r"[^0-9０-９\s\-－+()（）;；,，、/转]", value):
        raise RowError(f"咨询电话 {value[:40]!r} may contain only digits, separators and 转")
    if len(re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", value))) < 5:
        raise RowError("咨询电话 has fewer than 5 digits")
    return value


_NUMBERING = re.compile(r"^\s*(?:[0-9]+|[一二三四五六七八九十]+)\s*[.、．)）]\s*")
_PARENS = re.compile(r"^(.*?)[(（](.*)[)）]\s*$")
_COUNT = re.compile(r"(?:各)?" + _NUMBER + r"\s*(份|张|本|套|页|件|copies|copy)")


def parse_material(line: str) -> Material:
    """"居民身份证（原件1份）" -> Material(居民身份证, original, 1); notes keep what else is said."""
    line = _NUMBERING.sub("", line).strip().rstrip("；;。")
    match = _PARENS.match(line)
    name, inner = (match.group(1).strip(), match.group(2)) if match else (line, "")
    if not name:
        raise RowError(f"申请材料 {line[:40]!r}: the material has no name")
    if len(name) > MAX_NAME:
        raise RowError(f"申请材料 {name[:40]!r}…: a material name is longer than {MAX_NAME} characters")
    originals = copies_seen = False
    copies, notes = 1, []
    for part in (p.strip() for p in re.split(r"[，,；;]", inner) if p.strip()):
        count = _COUNT.search(part)
        rest = _COUNT.sub("", re.sub(r"原件|复印件|复印|及|和|、|各", "", part)).strip()
        if rest:  # something said about the material ("集体户提供首页复印件"), not its form
            notes.append(part)
            continue
        originals = originals or "原件" in part
        copies_seen = copies_seen or "复印" in part
        if count:
            copies = cn_number(count.group(1))
            if not 1 <= copies <= 20:
                raise RowError(f"申请材料 {name[:40]!r}: {copies} copies is not a plausible count")
    if name.endswith(("复印件", "复印本")) and not originals:
        copies_seen = True
    form = "original_and_copy" if originals and copies_seen else "copy" if copies_seen else "original"
    return Material(name=name, form=form, copies=copies, notes="；".join(notes))


def parse_materials(value: Any) -> Tuple[Material, ...]:
    """One material per line in the cell (or a JSON list of lines or of {name, form, copies, notes})."""
    if isinstance(value, list):
        materials = []
        for entry in value:
            if isinstance(entry, dict):
                line = text(entry, "name", "申请材料 name", MAX_NAME)
                if not line:
                    raise RowError("申请材料: a material has no name")
                form = entry.get("form") or "original"
                if form not in ("original", "copy", "original_and_copy"):
                    raise RowError(f"申请材料 {line[:40]!r}: form must be original, copy or original_and_copy")
                copies = entry.get("copies", 1)
                if not isinstance(copies, int) or not 1 <= copies <= 20:
                    raise RowError(f"申请材料 {line[:40]!r}: copies must be a whole number from 1 to 20")
                materials.append(Material(line, form, copies, text(entry, "notes", "申请材料 notes", 1000)))
            elif isinstance(entry, str):
                materials.extend(parse_materials(entry))
            else:
                raise RowError("申请材料 must be lines of text")
        return tuple(materials)
    cell = text({"m": value}, "m", "申请材料", multiline=True)
    lines = cell.split("\n") if "\n" in cell else re.split(r"[；;](?![^（(]*[)）])", cell)
    return tuple(parse_material(line) for line in lines if line.strip(" ；;"))


def split_terms(value: str) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in re.split(r"[、,，;；|/\n]", value) if t.strip()))


def clean_row(raw: Mapping[str, Any]) -> MatterRow:
    """Check one row; :class:`RowError` names the column and what is wrong with it."""
    if "__problem__" in raw:
        raise RowError(str(raw["__problem__"]))
    code = text(raw, "code", "事项编码", 64)
    if not code:
        raise RowError("事项编码 is missing")
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z_\-.]*", code):
        raise RowError(f"事项编码 {code[:40]!r} may contain only letters, digits, '-', '_' and '.'")
    name = text(raw, "name_zh", "事项名称", MAX_NAME)
    if not name:
        raise RowError("事项名称 is missing")
    department = text(raw, "department", "实施主体", 100)
    if not department:
        raise RowError("实施主体 is missing")
    statutory_text = text(raw, "statutory", "法定办结时限", 100)
    promised_text = text(raw, "promised", "承诺办结时限", 100)
    statutory = parse_days(statutory_text, "法定办结时限")
    promised = parse_days(promised_text, "承诺办结时限")
    if statutory is not None and promised is not None and promised > statutory:
        raise RowError(f"承诺办结时限 ({promised} days) is longer than 法定办结时限 ({statutory} days)")
    fee = text(raw, "fee", "收费标准", 1000)
    place = text(raw, "place", "办理地点", 1000)
    window = text(raw, "window", "办理窗口", 200)
    if window and window not in place:
        place = f"{place}，{window}" if place else window
    materials = parse_materials(raw.get("materials"))
    if not materials:
        raise RowError("申请材料 is empty (one material per line)")
    return MatterRow(
        code=code, name_zh=name, name_en=text(raw, "name_en", "英文名称", MAX_NAME),
        overview_zh=text(raw, "overview_zh", "事项简介", 1000), overview_en=text(raw, "overview_en", "英文简介", 1000),
        synonyms=split_terms(text(raw, "synonyms", "常用说法", 1000)),
        department=department, department_en=text(raw, "department_en", "实施主体（英文）", 100),
        statutory_days=statutory, statutory_text=statutory_text, promised_days=promised,
        promised_text=promised_text, place=place, hours=text(raw, "hours", "办理时间", 1000),
        phone=check_phone(text(raw, "phone", "咨询电话", 100)), legal_basis=text(raw, "legal_basis", "设定依据"),
        channel=parse_channel(text(raw, "channel", "办理形式", 40)),
        item=Item(name=text(raw, "item", "办理项", MAX_NAME), eligibility=text(raw, "eligibility", "受理条件"),
                  fee=fee, fee_yuan=parse_fee(fee), materials=materials),
    )


@dataclass
class Grouped:
    matters: List[MatterRecord] = field(default_factory=list)
    bad_rows: List[BadRow] = field(default_factory=list)


def group_rows(rows: Iterable[Tuple[int, Mapping[str, Any]]]) -> Grouped:
    """Clean every row and gather the rows of one 事项编码 into one matter (first row's facts)."""
    result = Grouped()
    firsts: Dict[str, Tuple[int, MatterRow]] = {}
    items: Dict[str, List[Item]] = {}
    lines: Dict[str, List[int]] = {}
    synonyms: Dict[str, List[str]] = {}
    for line, raw in rows:
        try:
            row = clean_row(raw)
        except RowError as err:
            code = raw.get("code") if isinstance(raw, Mapping) else None
            result.bad_rows.append(BadRow(line, clean_text(code)[:64] or None if isinstance(code, (str, int)) else None,
                                          str(err)))
            continue
        if row.code in firsts:
            first_line, first = firsts[row.code]
            differing = [f for f in MATTER_FIELDS if getattr(row, f) and getattr(row, f) != getattr(first, f)]
            if differing:
                result.bad_rows.append(BadRow(line, row.code, f"{', '.join(differing)} differ from row "
                                              f"{first_line} of the same 事项编码"))
                continue
            if any(i.name == row.item.name for i in items[row.code]):
                result.bad_rows.append(BadRow(line, row.code, f"办理项 {row.item.name or '(none)'!r} is repeated "
                                              f"for the same 事项编码"))
                continue
        else:
            firsts[row.code] = (line, row)
            items[row.code], lines[row.code], synonyms[row.code] = [], [], []
        items[row.code].append(row.item)
        lines[row.code].append(line)
        synonyms[row.code].extend(row.synonyms)
    for code, (_, row) in firsts.items():
        result.matters.append(MatterRecord(row, tuple(items[code]), tuple(lines[code]),
                                           tuple(dict.fromkeys(synonyms[code]))))
    result.bad_rows.sort(key=lambda b: b.line)
    return result


def matter_id_for(code: str) -> str:
    """A stable, readable id for a code (the chat's ``topic``): ``JZ-GA-0001`` -> ``jz_ga_0001``."""
    slug = re.sub(r"[^a-z0-9]+", "_", code.lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"m_{slug}"
    if len(slug) > 40:
        slug = f"{slug[:31]}_{hashlib.sha1(code.encode()).hexdigest()[:8]}"
    return slug


def covered_by(record: MatterRecord, catalogue_names: Mapping[str, str], catalogue_ids: Sequence[str]) -> Optional[str]:
    """The hand-written catalogue matter a row duplicates (same id, or same name as its name or a
    synonym), so the import never shadows the 16 matters kept with full bilingual detail."""
    matter_id = matter_id_for(record.code)
    if matter_id in catalogue_ids:
        return matter_id
    return catalogue_names.get(_name_key(record.row.name_zh))


def _name_key(name: str) -> str:
    return re.sub(r"[\s（）()、，,]", "", unicodedata.normalize("NFKC", name)).lower()


def catalogue_name_keys(pairs: Iterable[Tuple[str, str]]) -> Dict[str, str]:
    """{normalised name: matter id} for the hand-written matters' names and synonyms."""
    return {_name_key(name): matter_id for matter_id, name in pairs}
