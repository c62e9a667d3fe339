"""Which department answers for each matter, for "satisfaction by department".

Read from the catalogue (``knowledge/catalogue/<matter>.yaml``, field ``department``) when it is
there, so the dashboard names the same office the assistant sends people to; otherwise from the
reference data of the shared data resource. Only the first office of a shared matter counts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Optional

import yaml

from assistant.core.topics import MATTERS

CATALOGUE = Path(__file__).resolve().parent.parent / "knowledge" / "catalogue"


def _first_office(text: str) -> str:
    return re.split(r"[、,;；]", text)[0].strip()


def matter_departments(catalogue: Optional[Path] = None, lang: str = "zh") -> Dict[str, str]:
    """matter id -> department name (in ``lang``)."""
    mapping: Dict[str, str] = {}
    folder = catalogue or CATALOGUE
    for matter in MATTERS:
        path = folder / f"{matter}.yaml"
        try:
            department = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("department")
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(department, dict) and department.get(lang):
            mapping[matter] = _first_office(str(department[lang]))
        elif isinstance(department, str) and department:
            mapping[matter] = _first_office(department)
    missing = [m for m in MATTERS if m not in mapping]
    if missing:
        try:
            from knowledge.reference import DEPARTMENT_NAMES, MATTER_NAMES
        except ImportError:
            return mapping
        for matter in missing:
            code = MATTER_NAMES.get(matter, ("", "", ""))[2]
            names = DEPARTMENT_NAMES.get(code)
            if names:
                mapping[matter] = names[1] if lang == "en" else names[0]
    return mapping
