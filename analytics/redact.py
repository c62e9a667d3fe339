"""Remove personal data from a user's message before it becomes a log record, an analytics record
or a handoff ticket. This is the one redactor of the project; every writer of free text uses it.

What goes: Chinese resident ID numbers (18 digits with a valid checksum and birth date, and the
old 15-digit ones), mobile numbers, bank card numbers (Luhn), passport numbers, e-mail addresses,
case/application numbers, booking codes, and names that people give ("我叫张三", "我是李四",
"本人王五", "姓名：李四", "my name is Ann Lee", "I'm Ann Lee", "This is Ann Lee").

How: the text is first *folded* (:mod:`analytics.folding`): every way of writing a digit is one ASCII digit,
keeping for each folded character the span of the original it came from. Folding turns full-width
characters (``１３８``, ``＠``, ``（``) into ASCII (NFKC), Chinese and spoken digits (``一三八``,
``幺三八洞洞``, ``壹叁捌``, "one three eight", "double zero") into digits, every dash into ``-``,
and drops zero-width characters. Detectors run on the folded text; what they find is cut out of
the *original* text, so everything that is not personal data stays exactly as the person wrote it.

Why digit *runs*: people and speech recognisers put anything between digits (spaces, tabs, dots,
slashes, dashes, underscores, 、, brackets around an area code). So every run of digits with up to
three such separators between them is checked as a whole and window by window; if an ID number or
a mobile number hides anywhere in it, the whole run goes. Over-redacting a stray digit is cheap;
leaking an ID number is not. Times (``9:00-12:00``), window numbers (``A10-A14``), fees (``120元``)
and dates never form an 11-digit mobile or a checksummed ID, so ordinary service text survives.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Callable, Iterator, List, Optional, Tuple

from analytics.folding import Folded
from knowledge.identifiers import (
    BOOKING_CODE_ALPHABET,
    BOOKING_CODE_LENGTH,
    BOOKING_CODE_PREFIX,
    CASE_DIGITS_MAX,
    CASE_DIGITS_MIN,
    CASE_PREFIX,
    NOT_CASE_PREFIX,
)

ID_TOKEN = "<ID>"
PHONE_TOKEN = "<PHONE>"
EMAIL_TOKEN = "<EMAIL>"
CARD_TOKEN = "<CARD>"
CASE_TOKEN = "<CASE>"
NAME_TOKEN = "<NAME>"
CODE_TOKEN = "<CODE>"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# --- numbers -------------------------------------------------------------------------------------

# Digits with up to three separators between them, an optional final X (ID check character).
_SEP = r"[ \-./_、,，()\[\]·]"
_RUN = re.compile(rf"\+?[0-9](?:[0-9]|{_SEP}{{1,3}}(?=[0-9]))*(?:{_SEP}{{0,2}}[Xx](?![A-Za-z]))?")
_NOT_DIGIT = re.compile(r"[^0-9Xx]")


def id18_valid(digits: str) -> bool:
    """An 18-character resident ID number: checksum (ISO 7064 MOD 11-2) and a real birth date."""
    if len(digits) != 18 or not digits[:17].isascii() or not digits[:17].isdigit():
        return False
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS)) % 11]
    return digits[17].upper() == check and _real_date(digits[6:10], digits[10:12], digits[12:14])


def id15_valid(digits: str) -> bool:
    """An old 15-digit ID number (1984-1999): region + YYMMDD birth date + 3 digits."""
    return (len(digits) == 15 and digits.isascii() and digits.isdigit()
            and _real_date("19" + digits[6:8], digits[8:10], digits[10:12]))


def luhn_valid(digits: str) -> bool:
    if not digits.isascii() or not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _real_date(year: str, month: str, day: str) -> bool:
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def _is_mobile(window: str) -> bool:
    return len(window) == 11 and window[0] == "1" and window[1] in "3456789"


def classify_digits(run: str) -> Optional[str]:
    """What a run of digits (separators removed, maybe ending in X) is, as a token, or ``None``."""
    digits = run.lstrip("+")
    for start in range(0, len(digits) - 17):
        if id18_valid(digits[start:start + 18]):
            return ID_TOKEN
    body = digits.rstrip("Xx")
    if 16 <= len(body) <= 19 and body == digits and luhn_valid(body):
        return CARD_TOKEN
    if any(id15_valid(body[s:s + 15]) for s in range(0, len(body) - 14)) and len(body) <= 17:
        return ID_TOKEN
    if any(_is_mobile(body[s:s + 11]) for s in range(0, len(body) - 10)):
        return PHONE_TOKEN
    return None


Span = Tuple[int, int, str]  # start, end in the folded text, token


def _digit_runs(folded: str) -> Iterator[Span]:
    for match in _RUN.finditer(folded):
        token = classify_digits(_NOT_DIGIT.sub("", match.group()))
        if token is not None:
            yield match.start(), match.end(), token


# --- patterns ------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+\s*(?:@|\(at\)|\[at\])\s*[A-Za-z0-9\-]+"
    r"(?:\s*(?:\.|\(dot\)|\[dot\])\s*[A-Za-z0-9\-]+)*\s*(?:\.|\(dot\)|\[dot\])\s*[A-Za-z]{2,}"
)
# As read out: "li lei at example dot com" (needs the "dot", so "apply at www.gov.cn" stays).
_EMAIL_SPOKEN = re.compile(r"(?i)[A-Za-z0-9._%+\-]+\s+at\s+[A-Za-z0-9\-]+(?:\s+dot\s+[A-Za-z0-9\-]+)+")
_CASE_KEYWORD = re.compile(
    r"(?i)((?<![A-Za-z])(?:案件号|案件编号|受理号|受理编号|办件号|办件编号|申请编号|业务编号|流水号|预约号|预约码|"
    r"工单号|回执号|编号|case\s*(?:no\.?|number|id|#)|application\s*(?:no\.?|number)|"
    r"booking\s*(?:code|no\.?|number|reference)|reference\s*(?:no\.?|number)?|ref\.?)(?![A-Za-z]))"
    r"(\s*(?:是|为|:|#|is)?\s*)((?=[A-Za-z\-/ ]*[0-9])[A-Za-z0-9](?:[A-Za-z0-9\-/]|\s{1,2}(?=[0-9])){4,})"
)
# Prefix letters + digits, with spaces, dashes or dots anywhere: "SZ 2024 001234", "GA-2024-000123".
_CASE_SHAPE = re.compile(
    rf"(?<![A-Za-z0-9])({CASE_PREFIX})(?:[ \-.]{{0,3}}[0-9]){{{CASE_DIGITS_MIN},{CASE_DIGITS_MAX + 4}}}"
    r"(?![0-9])"
)
# Court style: （2024）京0105民初12345号 (brackets folded to ASCII)
_CASE_COURT = re.compile(r"\([0-9]{4}\)[\u4e00-\u9fff]{1,3}[0-9]{0,6}[\u4e00-\u9fff]{1,4}[0-9]+号")
_BOOKING = re.compile(
    rf"(?i)(?<![A-Za-z0-9]){BOOKING_CODE_PREFIX}(?:[ \-]{{0,2}}[{BOOKING_CODE_ALPHABET}]){{{BOOKING_CODE_LENGTH}}}"
    r"(?![A-Za-z0-9])"
)
# Passports: E/G/D/S/P + 8 digits, or E + letter + 7 digits (2012 chip passports).
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])(?:[EGDSPegdsp][0-9]{8}|[Ee][A-Za-z][0-9]{7})(?![0-9])")

_HAN = r"\u4e00-\u9fff"
# Words that end a Chinese name given in a sentence ("我叫张三想办护照").
_NAME_STOP = "想要的在办来去是需请我你他她，。,.!！?？ 、；;:：和与及也就还要呢吧啊呀哦嘛了"
_ZH_NAME_FORM = re.compile(
    r"(我叫|我的名字是|我的名字叫|名字叫|名字是|叫做|(?:本人)?姓名\s*(?:[:：]|是|为|\s)|名字\s*[:：]|申请人\s*(?:[:：]|是))"
    rf"\s*[:：]?\s*([{_HAN}·]{{2,4}})"
)
# "我是 / 本人 / 我姓" are followed by a name only sometimes ("我是来办护照的"), so these need the
# name to start with a common surname.
_SURNAMES_2 = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
               "宇文", "司徒", "夏侯", "端木", "西门", "独孤", "南宫")
_SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦付傅邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵钱"
    "严覃武戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁"
    "尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳"
    "时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和"
    "仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_ZH_SELF = re.compile(
    rf"(我是|我就是|本人是|本人姓名|本人|我姓|姓名|名字|这里是|我这边是|申请人)\s*((?:{'|'.join(_SURNAMES_2)}|[{_SURNAMES_1}])[{_HAN}·]{{0,3}})"
)
# Words that may follow 我是 + a surname character without being a name.
_NOT_ZH_NAME = ("高龄", "高中", "老人", "明天", "时候", "常住", "全职", "单位", "华侨", "关于", "申请", "和", "安",
                "应该", "成年", "党员", "路过", "宁愿", "易", "明白", "文盲", "公司", "全家", "管理", "司机",
                "车主", "房主", "房东", "商户", "学生", "军人", "农民", "外地", "本地", "残疾", "退休", "农村",
                "成都", "常州", "温州", "江苏", "江西", "湖南", "湖北", "广东", "广西", "贵州", "云南", "安徽",
                "福建", "山东", "山西", "河南", "河北", "沈阳", "武汉", "长沙", "南京", "杭州", "苏州", "上海",
                "北京", "天津", "重庆", "深圳", "广州", "香港", "澳门", "台湾", "新疆", "西藏", "宁夏",
                "关心", "全部", "包括", "时间", "方便", "文件", "管理员", "单身", "应届", "首次", "第一次")
_EN_NAME_FORM = re.compile(
    r"(?i)(?<![A-Za-z])(my name is|my name's|i am called|i'm called|(?:full )?name\s*(?:is\s*)?[:：])\s*"
    r"([A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*){0,2})"
)
# "I'm / I am / This is / It's" + capitalised words: a name, as written or as recognised from
# speech ("I'm John Smith"); "I'm looking for ..." is not.
_EN_SELF = re.compile(
    r"(?<![A-Za-z])((?:[Ii]'m|[Ii]’m|I am|[Tt]his is|[Ii]t's|[Ii]t is|[Ss]peaking:?|[Cc]all me)\s+)"
    r"((?:[A-Z][a-z'\-]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z'\-]+|[A-Z]{2,})){0,2})"
)
_EN_NOT_NAME = {
    "and", "i", "im", "i'm", "need", "want", "would", "please", "the", "a", "an", "to", "for",
    "of", "is", "was", "my", "from", "with", "at", "in", "on", "how", "what", "can", "could",
    "do", "does", "here", "there", "this", "that", "but", "so", "who", "it", "not", "change",
    "card", "registration", "your", "id", "number", "sorry", "hello", "hi", "calling", "looking",
    "trying", "going", "just", "new", "still", "also", "very", "really", "about", "interested",
    "writing", "asking", "sure", "ok", "okay", "thanks", "thank", "fine", "good", "unable", "having",
    "getting", "confused", "lost", "late", "ready", "done", "back", "now", "today", "tomorrow",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "english",
    "chinese", "passport", "id card", "urgent", "important", "correct", "right", "wrong", "too",
    "when", "where", "why", "which", "if", "yes", "no", "we", "you", "he", "she", "they", "our",
    "their", "his", "her", "mr", "mrs", "ms", "dr", "possible", "available", "free", "open", "closed",
    "applying", "married", "retired", "disabled", "pregnant", "unemployed", "self-employed",
}


def _zh_name_end(name: str) -> str:
    for index, char in enumerate(name):
        if index >= 1 and char in _NAME_STOP:
            return name[:index]
    return name


def _zh_form_spans(folded: str) -> Iterator[Span]:
    for match in _ZH_NAME_FORM.finditer(folded):
        name = _zh_name_end(match.group(2))
        if len(name) >= 2:
            yield match.start(2), match.start(2) + len(name), NAME_TOKEN


def _zh_self_spans(folded: str) -> Iterator[Span]:
    for match in _ZH_SELF.finditer(folded):
        name = _zh_name_end(match.group(2))
        if any(name.startswith(word) for word in _NOT_ZH_NAME):
            continue
        if match.group(1) == "我姓" or len(name) >= 2:
            yield match.start(2), match.start(2) + len(name), NAME_TOKEN


def _en_words(match: re.Match, group: int, lower_ok: bool) -> Iterator[Span]:
    taken_end = None
    for word in re.finditer(r"[A-Za-z][A-Za-z'\-’]*", match.group(group)):
        text = word.group()
        if text.lower().strip("'-’") in _EN_NOT_NAME or (not lower_ok and not text[0].isupper()):
            break
        taken_end = match.start(group) + word.end()
    if taken_end is not None:
        yield match.start(group), taken_end, NAME_TOKEN


def _en_form_spans(folded: str) -> Iterator[Span]:
    for match in _EN_NAME_FORM.finditer(folded):
        yield from _en_words(match, 2, lower_ok=True)


def _en_self_spans(folded: str) -> Iterator[Span]:
    for match in _EN_SELF.finditer(folded):
        yield from _en_words(match, 2, lower_ok=False)


def _pattern(regex: re.Pattern, token: str, group: int = 0) -> Callable[[str], Iterator[Span]]:
    def spans(folded: str) -> Iterator[Span]:
        for match in regex.finditer(folded):
            yield match.start(group), match.end(group), token
    return spans


def _case_shapes(folded: str) -> Iterator[Span]:
    for match in _CASE_SHAPE.finditer(folded):
        # "from 2024..." is a word before a number; "AS 2024..." is an office's code. A number
        # that is an ID or a phone keeps its own token ("ID <ID>"), found by the digit runs.
        prefix = match.group(1)
        if prefix.lower() in NOT_CASE_PREFIX and not prefix.isupper():
            continue
        if classify_digits(_NOT_DIGIT.sub("", match.group()[len(prefix):])) is None:
            yield match.start(), match.end(), CASE_TOKEN


# In order of precedence: where two findings overlap, the first one's token is used.
_DETECTORS: Tuple[Callable[[str], Iterator[Span]], ...] = (
    _pattern(_EMAIL, EMAIL_TOKEN),
    _pattern(_EMAIL_SPOKEN, EMAIL_TOKEN),
    _pattern(_CASE_KEYWORD, CASE_TOKEN, group=3),
    _pattern(_CASE_COURT, CASE_TOKEN),
    _pattern(_BOOKING, CODE_TOKEN),
    _digit_runs,
    _case_shapes,
    _pattern(_PASSPORT, ID_TOKEN),
    _zh_form_spans,
    _zh_self_spans,
    _en_form_spans,
    _en_self_spans,
)


def _merge(spans: List[Tuple[int, int, str, int]]) -> List[Tuple[int, int, str]]:
    """Overlapping findings become one, with the token of the highest-precedence finding."""
    merged: List[List] = []
    for start, end, token, rank in sorted(spans):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            if rank < last[3]:
                last[2], last[3] = token, rank
            continue
        merged.append([start, end, token, rank])
    return [(s, e, t) for s, e, t, _ in merged]


def redact(text: str) -> str:
    """The message with personal data replaced by ``<ID>``, ``<PHONE>``, ``<EMAIL>``, ``<CARD>``,
    ``<CASE>``, ``<CODE>`` and ``<NAME>``. Pure and deterministic; safe on any string (lone
    surrogates included)."""
    if not text:
        return text or ""
    folded = Folded(text)
    found = [(s, e, token, rank) for rank, detector in enumerate(_DETECTORS)
             for s, e, token in detector(folded.text) if e > s]
    if not found:
        return text
    pieces: List[str] = []
    last = 0
    for start, end, token in _merge(found):
        begin, finish = folded.original_span(start, end)
        if begin < last:
            continue
        pieces.append(text[last:begin])
        pieces.append(token)
        last = finish
    pieces.append(text[last:])
    return "".join(pieces)
