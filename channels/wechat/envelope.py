"""The signed (and in safe mode encrypted) envelope around every WeChat request and reply.

Signatures are checked here in constant time (``hmac.compare_digest``; wechatpy compares with
``!=``) before anything is decrypted or parsed, and old timestamps are refused so a captured
request cannot be replayed after the de-duplication ledger forgot it. Parsing, AES and reply XML
are wechatpy's; nothing here hand-rolls XML or crypto.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import time
from dataclasses import dataclass
from typing import Mapping, Optional
from xml.parsers.expat import ExpatError

import xmltodict
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply
from wechatpy.utils import WeChatSigner

from assistant.errors import AuthError, ConfigError, InputError

#: How far a request's timestamp may be from our clock (WeChat retries within ~15 s).
MAX_CLOCK_SKEW_SECONDS = 300
#: A 2,000-character message encrypted is ~10 KB; anything near this is not from WeChat.
MAX_BODY_BYTES = 128 * 1024


class SignatureError(AuthError):
    """The request was not signed with our token (or is too old); answered with 403."""


class MalformedMessage(InputError):
    """Signed, but not a WeChat message we can read; answered with 400."""


def sign(token: str, *parts: str) -> str:
    """WeChat's signature: SHA-1 of the sorted, concatenated token and parts."""
    signer = WeChatSigner()
    signer.add_data(token, *parts)
    return signer.signature


def check_signature(token: str, signature: Optional[str], *parts: str) -> None:
    """Raise :class:`SignatureError` unless ``signature`` is right, compared in constant time."""
    if not signature or any(p is None for p in parts):
        raise SignatureError("missing signature parameters")
    if not hmac.compare_digest(sign(token, *parts).encode(), signature.encode()):
        raise SignatureError("signature mismatch")


def check_fresh(timestamp: str, now: Optional[float] = None) -> None:
    try:
        sent = int(timestamp)
    except (TypeError, ValueError) as err:
        raise SignatureError("timestamp is not a number") from err
    if abs((now if now is not None else time.time()) - sent) > MAX_CLOCK_SKEW_SECONDS:
        raise SignatureError("timestamp outside the allowed window")


def validate_aes_key(aes_key: str) -> None:
    """An EncodingAESKey must be 43 characters of base64 that decode to 32 bytes."""
    try:
        key = base64.b64decode(aes_key + "=", validate=True)
    except (binascii.Error, ValueError) as err:
        raise ConfigError("CIVIC_WECHAT_AES_KEY is not valid base64") from err
    if len(key) != 32:
        raise ConfigError("CIVIC_WECHAT_AES_KEY must be 43 characters decoding to 32 bytes")


@dataclass(frozen=True)
class Envelope:
    """How to open requests and seal replies for one official account."""

    token: str
    app_id: str
    crypto: Optional[WeChatCrypto]  # None in plain mode

    @classmethod
    def create(cls, token: str, aes_key: str, app_id: str) -> "Envelope":
        if not token:
            raise ConfigError("CIVIC_WECHAT_TOKEN is required for the WeChat channel")
        if not aes_key:
            return cls(token, app_id, None)
        validate_aes_key(aes_key)
        if not app_id:
            raise ConfigError("CIVIC_WECHAT_APP_ID is required in safe (AES) mode")
        return cls(token, app_id, WeChatCrypto(token, aes_key, app_id))

    @property
    def mode(self) -> str:
        return "safe" if self.crypto else "plain"

    def verify_get(self, query: Mapping[str, str]) -> str:
        """Server verification: the ``echostr`` to echo back when the signature is right."""
        check_signature(self.token, query.get("signature"), query.get("timestamp"), query.get("nonce"))
        echostr = query.get("echostr")
        if not echostr:
            raise MalformedMessage("echostr is missing")
        return echostr

    def open(self, query: Mapping[str, str], body: bytes, now: Optional[float] = None) -> BaseMessage:
        """Verify, decrypt and parse one POSTed message."""
        timestamp, nonce = query.get("timestamp"), query.get("nonce")
        check_signature(self.token, query.get("signature"), timestamp, nonce)
        check_fresh(timestamp or "", now)
        if len(body) > MAX_BODY_BYTES:
            raise MalformedMessage(f"body of {len(body)} bytes is too large")
        encrypted = query.get("encrypt_type", "").lower() == "aes"
        if self.crypto is not None and not encrypted:
            raise MalformedMessage("this account runs in safe mode; expected encrypt_type=aes")
        if encrypted and self.crypto is None:
            raise MalformedMessage("encrypted message but no CIVIC_WECHAT_AES_KEY is configured")
        xml = self._decrypt(query, body) if encrypted else body
        return self._parse(xml)

    def _decrypt(self, query: Mapping[str, str], body: bytes) -> str:
        envelope = _xml_dict(body)
        encrypt = envelope.get("Encrypt")
        if not isinstance(encrypt, str) or not encrypt:
            raise MalformedMessage("encrypted message without an Encrypt element")
        check_signature(self.token, query.get("msg_signature"), query.get("timestamp"),
                        query.get("nonce"), encrypt)
        try:
            return self.crypto.decrypt_message(  # type: ignore[union-attr]
                envelope, query["msg_signature"], query["timestamp"], query["nonce"])
        except InvalidSignatureException as err:  # pragma: no cover - checked above
            raise SignatureError("message signature mismatch") from err
        except InvalidAppIdException as err:
            raise SignatureError("message was encrypted for another app id") from err
        except Exception as err:  # bad base64, bad padding, not UTF-8: wechatpy raises many kinds
            raise MalformedMessage(f"cannot decrypt message: {type(err).__name__}") from err

    @staticmethod
    def _parse(xml: bytes | str) -> BaseMessage:
        fields = _xml_dict(xml)
        for required in ("ToUserName", "FromUserName", "MsgType"):
            if not isinstance(fields.get(required), str) or not fields[required]:
                raise MalformedMessage(f"message without {required}")
        try:
            return parse_message(xml)
        except (ExpatError, KeyError, ValueError, TypeError, AttributeError) as err:
            raise MalformedMessage(f"unreadable message: {type(err).__name__}") from err

    def seal(self, message: BaseMessage, text: str, nonce: str) -> str:
        """The passive text reply, encrypted and signed in safe mode."""
        xml = TextReply(message=message, content=text).render()
        if self.crypto is None:
            return xml
        return self.crypto.encrypt_message(xml, nonce, str(int(time.time())))


def _xml_dict(xml: bytes | str) -> dict:
    try:
        parsed = xmltodict.parse(xml, disable_entities=True)
    except (ExpatError, ValueError, TypeError) as err:
        raise MalformedMessage(f"body is not well-formed XML: {err}") from err
    root = parsed.get("xml") if isinstance(parsed, dict) else None
    if not isinstance(root, dict):
        raise MalformedMessage("body is not a WeChat <xml> message")
    return root
