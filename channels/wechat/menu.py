"""The official account's custom menu, and what each menu click means.

Every ``click`` key names a matter or capability (``assistant.core.topics``); a click sends the
key's question into the conversation core exactly as if the user had typed it, so the menu needs
no logic of its own. ``civic wechat menu`` pushes :data:`MENU` to WeChat.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

#: Click key -> (topic id, the question it asks the core). ``help`` is answered by the channel.
CLICKS: Dict[str, tuple[str, str]] = {
    "matter:id_card": ("id_card", "身份证怎么办理"),
    "matter:household_registration": ("household_registration", "户口怎么办理"),
    "matter:social_security": ("social_security", "社保怎么办理"),
    "matter:pension_certification": ("pension_certification", "养老金资格认证怎么做"),
    "matter:medical_insurance": ("medical_insurance", "医保怎么办理"),
    "capability:case_status": ("case_status", "查询办件进度"),
    "capability:book_appointment": ("book_appointment", "我要预约办理"),
    "capability:cancel_appointment": ("cancel_appointment", "我要取消预约"),
    "capability:service_hall_info": ("service_hall_info", "办事大厅在哪里，几点上班"),
    "capability:human_handoff": ("human_handoff", "转人工客服"),
    "capability:feedback": ("feedback", "我要提意见"),
}
HELP_KEY = "help"


def _click(name: str, key: str) -> Dict[str, str]:
    return {"type": "click", "name": name, "key": key}


#: WeChat's menu format: at most 3 buttons, 5 sub-buttons each; names short enough for phones.
MENU: Dict[str, Any] = {
    "button": [
        {"name": "办事指南", "sub_button": [
            _click("身份证", "matter:id_card"),
            _click("户口", "matter:household_registration"),
            _click("社保", "matter:social_security"),
            _click("养老认证", "matter:pension_certification"),
            _click("医保", "matter:medical_insurance"),
        ]},
        {"name": "办件预约", "sub_button": [
            _click("查办件进度", "capability:case_status"),
            _click("预约办理", "capability:book_appointment"),
            _click("取消预约", "capability:cancel_appointment"),
            _click("大厅地址", "capability:service_hall_info"),
        ]},
        {"name": "帮助", "sub_button": [
            _click("我能做什么", HELP_KEY),
            _click("转人工", "capability:human_handoff"),
            _click("意见建议", "capability:feedback"),
        ]},
    ]
}


def question_for(key: Optional[str]) -> Optional[str]:
    """The question a click key asks, or ``None`` for keys we do not know."""
    entry = CLICKS.get((key or "").strip())
    return entry[1] if entry else None
