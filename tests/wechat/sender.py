"""Build requests the way WeChat's servers do (signed, and AES-encrypted in safe mode) with
wechatpy, and open the passive replies the way WeChat would. Shared by the tests and the bench."""

from __future__ import annotations

import itertools
import random
import string
import time
import uuid
from typing import Any, Dict, Optional, Tuple

import xmltodict
from wechatpy.crypto import WeChatCrypto

from channels.wechat.envelope import sign

ACCOUNT = "gh_civic_test"
_MSG_IDS = itertools.count(int(time.time() * 1000) * 1000 + random.randint(0, 999_999))


def new_openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


def new_msg_id() -> int:
    return next(_MSG_IDS)


def aes_key() -> str:
    return "".join(random.choice(string.ascii_letters + string.digits) for _ in range(43))


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def message_xml(openid: str, msg_type: str, fields: Dict[str, Any], create_time: Optional[int] = None) -> str:
    """The XML WeChat POSTs for one message or event."""
    parts = [f"<ToUserName>{_cdata(ACCOUNT)}</ToUserName>",
             f"<FromUserName>{_cdata(openid)}</FromUserName>",
             f"<CreateTime>{create_time or int(time.time())}</CreateTime>",
             f"<MsgType>{_cdata(msg_type)}</MsgType>"]
    for name, value in fields.items():
        parts.append(f"<{name}>{value if isinstance(value, int) else _cdata(str(value))}</{name}>")
    return "<xml>" + "".join(parts) + "</xml>"


def text_xml(openid: str, content: str, msg_id: Optional[int] = None) -> str:
    return message_xml(openid, "text", {"Content": content, "MsgId": msg_id or new_msg_id()})


def voice_xml(openid: str, media_id: str, recognition: Optional[str], msg_id: Optional[int] = None) -> str:
    fields: Dict[str, Any] = {"MediaId": media_id, "Format": "amr", "MsgId": msg_id or new_msg_id()}
    if recognition is not None:
        fields["Recognition"] = recognition
    return message_xml(openid, "voice", fields)


def event_xml(openid: str, event: str, key: Optional[str] = None, create_time: Optional[int] = None) -> str:
    fields: Dict[str, Any] = {"Event": event}
    if key is not None:
        fields["EventKey"] = key
    return message_xml(openid, "event", fields, create_time)


class WeChatSender:
    """Signs (and in safe mode encrypts) messages for one official account, like WeChat."""

    def __init__(self, token: str, aes_key: str = "", app_id: str = "") -> None:
        self.token = token
        self.crypto = WeChatCrypto(token, aes_key, app_id) if aes_key else None

    def envelope(self, xml: str, openid: str, timestamp: Optional[int] = None) -> Tuple[Dict[str, str], bytes]:
        """Query parameters and body of the POST WeChat would make."""
        ts = str(timestamp or int(time.time()))
        nonce = str(random.randint(10**8, 10**9))
        params = {"signature": sign(self.token, ts, nonce), "timestamp": ts, "nonce": nonce,
                  "openid": openid}
        if self.crypto is None:
            return params, xml.encode("utf-8")
        sealed = xmltodict.parse(self.crypto.encrypt_message(xml, nonce, ts))["xml"]
        encrypt = sealed["Encrypt"]
        params.update(encrypt_type="aes", msg_signature=sign(self.token, ts, nonce, encrypt))
        body = f"<xml><ToUserName>{_cdata(ACCOUNT)}</ToUserName><Encrypt>{_cdata(encrypt)}</Encrypt></xml>"
        return params, body.encode("utf-8")

    def open_reply(self, body: str) -> Optional[Dict[str, Any]]:
        """The passive reply as a dict, or ``None`` for ``success``/empty (as WeChat reads it)."""
        if body.strip() in ("", "success"):
            return None
        if self.crypto is not None:
            sealed = xmltodict.parse(body)["xml"]
            body = self.crypto.decrypt_message(body, sealed["MsgSignature"], sealed["TimeStamp"],
                                               sealed["Nonce"])
        return xmltodict.parse(body)["xml"]


def verification_params(token: str, echostr: str = "echo-12345") -> Dict[str, str]:
    ts = str(int(time.time()))
    nonce = str(random.randint(10**8, 10**9))
    return {"signature": sign(token, ts, nonce), "timestamp": ts, "nonce": nonce, "echostr": echostr}

