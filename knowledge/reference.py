"""Reference data the schema needs before any push: the service matters (ids from
``assistant.core.topics.MATTERS``) with their names and usual departments, and the departments.

Kept in code (not only in a migration) so a new matter in the catalogue reaches the table on the
next start through :func:`sync_reference_data`, which only ever inserts what is missing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Dict, Iterable, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.core.topics import MATTERS
from knowledge.models import Department, ServiceMatter

#: matter id -> (Chinese name, English name, usual department code)
MATTER_NAMES: Dict[str, Tuple[str, str, str]] = {
    "id_card": ("居民身份证", "resident ID card", "public_security"),
    "household_registration": ("户口登记", "household registration (hukou)", "public_security"),
    "passport": ("护照", "passport", "exit_entry"),
    "residence_permit": ("居住证", "residence permit", "public_security"),
    "social_security": ("社会保险", "social security", "human_resources"),
    "pension_certification": ("养老金资格认证", "pension certification", "human_resources"),
    "medical_insurance": ("医疗保险", "medical insurance", "medical_security"),
    "provident_fund": ("住房公积金", "housing provident fund", "provident_fund"),
    "business_license": ("营业执照", "business license", "market_regulation"),
    "marriage_registration": ("婚姻登记", "marriage registration", "civil_affairs"),
    "birth_registration": ("出生登记", "birth registration", "public_security"),
    "driver_license": ("驾驶证", "driver's license", "traffic_police"),
    "elderly_allowance": ("高龄津贴", "elderly allowance", "civil_affairs"),
    "property_registration": ("不动产登记", "property registration", "natural_resources"),
    "individual_tax": ("个人所得税", "individual income tax", "taxation"),
    "disability_certificate": ("残疾人证", "disability certificate", "disabled_persons"),
    "social_security_card": ("社会保障卡", "social security card", "human_resources"),
    "food_business_permit": ("食品经营许可证", "food business permit", "market_regulation"),
    "pension_claim": ("养老金领取", "starting a pension", "human_resources"),
    "death_registration": ("死亡登记与户口注销", "death registration", "public_security"),
    "funeral_subsidy": ("丧葬补助金和抚恤金", "funeral grant and survivors' pension", "human_resources"),
}

#: department code -> (Chinese name, English name)
DEPARTMENT_NAMES: Dict[str, Tuple[str, str]] = {
    "public_security": ("公安局", "Public Security Bureau"),
    "exit_entry": ("出入境管理局", "Exit-Entry Administration"),
    "human_resources": ("人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    "medical_security": ("医疗保障局", "Healthcare Security Administration"),
    "provident_fund": ("住房公积金管理中心", "Housing Provident Fund Centre"),
    "market_regulation": ("市场监督管理局", "Market Regulation Administration"),
    "civil_affairs": ("民政局", "Civil Affairs Bureau"),
    "traffic_police": ("交警支队", "Traffic Police"),
    "natural_resources": ("自然资源局", "Natural Resources Bureau"),
    "taxation": ("税务局", "Taxation Bureau"),
    "disabled_persons": ("残疾人联合会", "Disabled Persons' Federation"),
}

assert set(MATTER_NAMES) == set(MATTERS), "every catalogue matter needs a name here"


def matter_name(matter_id: str, lang: str) -> str:
    zh, en, _ = MATTER_NAMES.get(matter_id, (matter_id, matter_id.replace("_", " "), ""))
    return en if lang == "en" else zh


def sync_reference_data(session: Session, now: datetime) -> None:
    """Insert missing matters and well-known departments; existing rows are left as they are."""
    have = set(session.execute(select(ServiceMatter.id)).scalars())
    for matter_id, (zh, en, dept) in MATTER_NAMES.items():
        if matter_id not in have:
            session.add(ServiceMatter(id=matter_id, name_zh=zh, name_en=en, department_code=dept))
    ensure_departments(session, DEPARTMENT_NAMES, now)


def ensure_departments(session: Session, codes: Iterable[str], now: datetime) -> Dict[str, int]:
    """Department ids by code, creating the missing ones (a code in CIVIC_DATA_TOKENS is enough)."""
    wanted = list(dict.fromkeys(codes))
    rows = session.execute(select(Department.code, Department.id).where(Department.code.in_(wanted)))
    ids = {code: id_ for code, id_ in rows}
    for code in wanted:
        if code not in ids:
            zh, en = DEPARTMENT_NAMES.get(code, (code, code))
            department = Department(code=code, name_zh=zh, name_en=en, created_at=now)
            session.add(department)
            session.flush()
            ids[code] = department.id
    return ids


#: Words people use for each matter, both languages, for picking a matter out of free text.
MATTER_KEYWORDS: Dict[str, Tuple[str, ...]] = {
    "id_card": ("身份证", "id card", "identity card", "ID"),
    "household_registration": ("户口", "户籍", "落户", "迁户", "hukou", "household registration"),
    "passport": ("护照", "出国证件", "passport"),
    "residence_permit": ("居住证", "暂住证", "residence permit"),
    "social_security": ("社保", "社会保险", "social security", "social insurance"),
    "pension_certification": ("养老金认证", "资格认证", "生存认证", "领养老金", "养老金", "pension"),
    "medical_insurance": ("医保", "医疗保险", "medical insurance", "health insurance"),
    "provident_fund": ("公积金", "provident fund", "housing fund"),
    "business_license": ("营业执照", "开公司", "个体户", "business license", "business licence"),
    "marriage_registration": ("结婚", "离婚", "婚姻登记", "结婚证", "marriage", "marry", "divorce"),
    "birth_registration": ("出生登记", "报户口", "新生儿", "出生证", "birth registration", "newborn", "baby"),
    "driver_license": ("驾照", "驾驶证", "driver", "driving licen"),
    "elderly_allowance": ("高龄津贴", "老年津贴", "高龄补贴", "elderly allowance", "old age allowance"),
    "property_registration": ("不动产", "房产证", "过户", "property", "real estate"),
    "individual_tax": ("个税", "个人所得税", "退税", "income tax", "tax refund"),
    "disability_certificate": ("残疾证", "残疾人证", "disability"),
    "social_security_card": ("社保卡", "社会保障卡", "social security card", "social insurance card"),
    "food_business_permit": ("食品经营许可", "食品许可证", "食品证", "餐饮许可", "food business permit",
                             "food permit", "restaurant permit", "food licen"),
    "pension_claim": ("养老金领取", "退休申领", "申领养老金", "开始领养老金", "退休金申请", "claim my pension",
                      "start my pension", "pension claim", "start drawing my pension"),
    "death_registration": ("死亡登记", "死亡证明", "注销户口", "户口注销", "death registration",
                           "death certificate", "cancel hukou", "register a death"),
    "funeral_subsidy": ("丧葬", "抚恤金", "丧葬费", "丧葬补助", "停发养老金", "funeral", "survivors' pension",
                        "survivors pension", "death benefit"),
}
