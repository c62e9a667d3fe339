"""Case-status template messages, for citizens who asked for them and proved the case is theirs.

A citizen links a case by writing "通知我 SZ2024001234 5678" / "notify me SZ2024001234 5678"
(case number and the last four digits of the phone on the case — the same proof the case-status
question asks for, through the same check and lockout: :func:`knowledge.case_check.check_case`,
counted for the same requester as that user's chat). That message is the consent; it is recorded (store + log, pseudonymous) and
withdrawn by "取消通知" / "stop notifications", or by unfollowing the account. The OpenID is
kept only here, because a template message cannot be addressed any other way.

When :mod:`knowledge.case_events` reports a status change, every linked follower gets a template
message (fields of at most 20 characters) sent from a background thread, so the data push that
caused it never waits for WeChat.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy.orm import sessionmaker

from assistant.core.identity import conversation_id
from assistant.errors import UnavailableError
from assistant.logs import log_event, pseudonym
from assistant.state import KeyValueStore
from knowledge import case_events
from knowledge.case_check import check_case
from knowledge.identifiers import CASE_IN_TEXT

LINK_TTL_SECONDS = 365 * 24 * 3600

_WITHDRAW = {"取消通知", "退订通知", "关闭通知", "不要通知", "停止通知", "stopnotifications",
             "stopnotification", "unsubscribenotifications", "notificationsoff"}
_LINK = re.compile(
    r"^(?:通知我|订阅办件|订阅|绑定办件|绑定|notify\s*me(?:\s*about)?(?:\s*case)?)\s*[:：]?\s*"
    rf"(?P<case>{CASE_IN_TEXT})?\s*(?:手机尾号|尾号|phone)?\s*(?P<last4>[0-9]{{4}})?\s*[。.!！]?$",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u4e00-\u9fff]")

STATUS_NAMES = {
    "received": "已受理", "under_review": "审核中", "needs_more_documents": "需补充材料",
    "approved": "已批准", "rejected": "未通过", "ready_for_pickup": "可领取", "completed": "已办结",
}


@dataclass(frozen=True)
class Command:
    kind: str  # "link" | "withdraw"
    case_number: Optional[str] = None
    last4: Optional[str] = None
    lang: str = "zh"


def parse_command(text: str) -> Optional[Command]:
    """A notification command in the message, or ``None`` for everything else."""
    compact = re.sub(r"[\s，。,.!！]", "", text).lower()
    lang = "zh" if _CJK.search(text) else "en"
    if compact in _WITHDRAW:
        return Command("withdraw", lang=lang)
    match = _LINK.match(text.strip())
    if not match:
        return None
    case = re.sub(r"[\s-]", "", match.group("case") or "").upper() or None
    return Command("link", case, match.group("last4"), lang)


_TEXTS = {
    "zh": {
        "linked": "好的，办件 {case} 的进度有变化时，我会发消息通知您。\n不想再收到时，回复“取消通知”即可。",
        "need": "请把办件编号和办件上登记手机号的后四位一起发给我，例如：\n通知我 SZ2024001234 5678",
        "nomatch": "没有找到这个办件，或手机号后四位不对。请核对后再试。",
        "locked": "这个办件编号的核对失败次数太多，为保护申请人的信息已暂时锁定，请一小时后再试，或带身份证到服务大厅查询。",
        "unavailable": "抱歉，现在查不了办件信息，请稍后再试，或拨打 12345 政务服务热线。",
        "withdrawn": "好的，已取消办件进度通知，以后不会再发给您。",
        "none": "您目前没有订阅办件进度通知。",
        "off": "抱歉，办件进度通知暂未开通。您可以随时问我“查询办件进度”。",
    },
    "en": {
        "linked": "Done. I will message you when case {case} changes status.\n"
                  "Reply \"stop notifications\" to stop.",
        "need": "Please send the case number and the last four digits of the phone on the case, "
                "e.g. notify me SZ2024001234 5678",
        "nomatch": "I could not find that case, or the phone digits do not match. Please check.",
        "locked": "There have been too many failed checks for this case number, so it is locked for "
                  "an hour to protect the applicant. Please try again later, or ask at the service hall "
                  "with your ID card.",
        "unavailable": "Sorry, case information cannot be reached right now. Please try again later "
                       "or call the 12345 hotline.",
        "withdrawn": "Done. You will no longer get case status messages.",
        "none": "You have no case status notifications.",
        "off": "Sorry, case status notifications are not available yet. You can ask me about "
               "your case at any time.",
    },
}


class CaseNotifier:
    def __init__(self, store: KeyValueStore, namespace: str, client: Any, template_id: str, *,
                 sessions: sessionmaker, salt: str) -> None:
        self._store = store
        self._sessions = sessions
        self._salt = salt
        self._namespace = namespace
        self._client = client
        self._template_id = template_id
        self._executor: Optional[ThreadPoolExecutor] = None
        if self.enabled:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wechat-notify")
            case_events.on_status_change(self.on_change)

    @property
    def enabled(self) -> bool:
        return bool(self._client is not None and self._template_id)

    # Maps changed field by field (hset/hdel), never read-modify-write of one JSON value, so two
    # people linking the same case at once are both kept.
    def _case_key(self, case_number: str) -> str:
        return f"{self._namespace}:followers-of:{case_number}"

    def _user_key(self, user: str) -> str:
        return f"{self._namespace}:followed-by:{user}"

    # --- commands from the chat (blocking) --------------------------------------------------------------
    def handle_command(self, openid: str, user: str, text: str) -> Optional[str]:
        """The reply to a notification command, or ``None`` when ``text`` is not one."""
        command = parse_command(text)
        if command is None:
            return None
        texts = _TEXTS[command.lang]
        if command.kind == "withdraw":
            return texts["withdrawn"] if self.withdraw_all(user) else texts["none"]
        if not self.enabled:
            return texts["off"]
        if not command.case_number or not command.last4:
            return texts["need"]
        result = self._check(command.case_number, command.last4, user)
        if result != "ok":
            log_event("wechat.consent.refused", sender=user, result=result)
            return texts[result if result in ("locked", "unavailable") else "nomatch"]
        self.link(command.case_number, openid, user)
        return texts["linked"].format(case=command.case_number)

    def _check(self, case_number: str, last4: str, user: str) -> str:
        """The case check every channel uses, with its lockout; the requester is the same one the
        chat's case-status form counts for this WeChat user."""
        who = pseudonym(conversation_id("wechat", user), self._salt)
        try:
            return check_case(self._sessions, case_number, last4, who=who).result
        except (UnavailableError, OSError) as err:
            log_event("wechat.consent.unavailable", error=type(err).__name__)
            return "unavailable"
        except Exception as err:  # a database error answers politely, never a 500 to WeChat
            log_event("wechat.consent.error", error=type(err).__name__)
            return "unavailable"

    def link(self, case_number: str, openid: str, user: str) -> None:
        link = json.dumps({"openid": openid, "consented_at": int(time.time())})
        self._store.hset(self._case_key(case_number), user, link, ttl=LINK_TTL_SECONDS)
        self._store.hset(self._user_key(user), case_number, "1", ttl=LINK_TTL_SECONDS)
        log_event("wechat.consent.given", sender=user, cases=len(self._store.hgetall(self._user_key(user))))

    def withdraw_all(self, user: str) -> int:
        """Forget every link (and so the OpenID) of this user; returns how many there were."""
        cases = list(self._store.hgetall(self._user_key(user)))
        for case_number in cases:
            self._store.hdel(self._case_key(case_number), user)
        self._store.delete(self._user_key(user))
        if cases:
            log_event("wechat.consent.withdrawn", sender=user, cases=len(cases))
        return len(cases)

    # --- status changes -----------------------------------------------------------------------------------
    def on_change(self, change: "case_events.StatusChange") -> None:
        if self._executor is not None and change.old_status is not None:
            self._executor.submit(self._notify, change)

    def _notify(self, change: "case_events.StatusChange") -> int:
        from channels.wechat.api import send_template

        followers = {user: json.loads(raw) for user, raw in
                     self._store.hgetall(self._case_key(change.case_number)).items()}
        sent = 0
        for user, link in followers.items():
            fields = {
                "first": "您的办件进度有更新",
                "keyword1": change.case_number,
                "keyword2": STATUS_NAMES.get(change.new_status, change.new_status),
                "keyword3": time.strftime("%Y-%m-%d %H:%M"),
                "remark": "回复“取消通知”可停止接收",
            }
            try:
                send_template(self._client, link["openid"], self._template_id, fields)
                sent += 1
            except Exception as err:  # one follower's failure must not stop the others
                log_event("wechat.template.failed", sender=user, error=type(err).__name__)
        log_event("wechat.template.sent", followers=len(followers), sent=sent)
        return sent

    def close(self) -> None:
        if self._executor is not None:
            case_events.remove(self.on_change)
            self._executor.shutdown(wait=True)
