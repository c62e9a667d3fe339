"""Demo data for `make run`: departments, a few cases you can look up in the chat, and
service-hall slots for the next two weeks. Idempotent (a second run changes nothing).

Demo cases (case number / last four phone digits / status), also listed in the README:
SZ2024001234 / 5678 / under_review (passport), SZ2024005678 / 4321 / needs_more_documents (ID card),
GA2024000123 / 1111 / ready_for_pickup (hukou), RS2024000456 / 2222 / approved (pension).
"""

from __future__ import annotations

from assistant.settings import Settings
from knowledge.appointments import ensure_slots
from knowledge.cases import push_cases
from knowledge.db import make_engine, make_sessionmaker
from knowledge.schema import prepare_database

DEMO_CASES = {
    "exit_entry": [{
        "case_number": "SZ2024001234", "matter": "passport", "applicant_name": "张三",
        "phone": "13800135678", "status": "under_review", "submitted_at": "2024-05-06 09:30",
        "updated_at": "2024-05-08 15:00", "note": "材料齐全，正在审核。",
    }],
    "public_security": [
        {"case_number": "SZ2024005678", "matter": "id_card", "applicant_name": "李四",
         "phone": "139 1234 4321", "status": "needs_more_documents", "submitted_at": "2024-05-02 10:00",
         "updated_at": "2024-05-09 11:20", "note": "照片不符合要求，请补交近期白底免冠证件照一张。"},
        {"case_number": "GA2024000123", "matter": "household_registration", "applicant_name": "王五",
         "phone": "+86 137 0000 1111", "status": "ready_for_pickup", "submitted_at": "2024-04-20 14:00",
         "updated_at": "2024-05-10 09:00", "note": "新户口簿已制作完成。"},
    ],
    "human_resources": [{
        "case_number": "RS2024000456", "matter": "pension_certification", "applicant_name": "赵六",
        "phone": "13600002222", "status": "approved", "submitted_at": "2024-05-01 08:45",
        "updated_at": "2024-05-03 16:30", "note": "",
    }],
}


def seed(settings: Settings) -> None:
    engine = make_engine(settings.effective_database_url)
    try:
        prepare_database(engine, settings.data_tokens)
        sessions = make_sessionmaker(engine)
        for department, cases in DEMO_CASES.items():
            push_cases(sessions, department, cases, source="seed")
        ensure_slots(sessions, days=14)
    finally:
        engine.dispose()
