"""Requests the fault tests send, and what they read back."""

from __future__ import annotations

import glob
import random
from pathlib import Path
from typing import Any, Dict, List, Set

import httpx

from tests.conftest import new_chat_sender
from tests.faults.conftest import DATA_TOKEN, DEPARTMENT

AUTH = {"Authorization": f"Bearer {DATA_TOKEN}"}
PASSPORT_EN = "How do I renew my passport?"  # answered by a custom action (action_matter)


def sender(http: httpx.Client) -> str:
    """A sender id issued by the gateway under test (it refuses any other)."""
    return new_chat_sender(http)


def chat(http: httpx.Client, message: str, who: str = "", **extra: Any) -> httpx.Response:
    return http.post("/api/v1/chat", json={"sender": who or sender(http), "message": message, **extra})


def case_records(count: int) -> List[Dict[str, Any]]:
    base = random.randint(10**9, 10**10 - count - 1)
    return [{
        "case_number": f"FT{base + i}", "matter": "passport", "department": DEPARTMENT,
        "applicant_name": "测试人", "phone": "13800000000", "status": "under_review",
        "submitted_at": "2024-05-06T09:30:00+08:00", "updated_at": "2024-05-08T15:00:00+08:00",
    } for i in range(count)]


def push(http: httpx.Client, records: List[Dict[str, Any]]) -> httpx.Response:
    return http.post("/api/v1/data/cases", json=records, headers=AUTH)


def stored(http: httpx.Client, records: List[Dict[str, Any]]) -> Set[str]:
    """The case numbers of ``records`` the data interface can read back."""
    return {r["case_number"] for r in records
            if http.get(f"/api/v1/data/cases/{r['case_number']}", headers=AUTH).status_code == 200}


def logged_texts(var_dir: Path) -> List[str]:
    """Every text in the interaction log written so far (redacted, as stored)."""
    import pyarrow.parquet as pq

    texts: List[str] = []
    for path in glob.glob(str(var_dir / "logs" / "date=*" / "*.parquet")):
        texts.extend(pq.read_table(path, columns=["text"]).column("text").to_pylist())
    return texts
