"""Who a conversation belongs to (issue 15: reaching case data without the check).

* **One namespace per channel.** The conversation a channel addresses is ``<channel>:<sender>``:
  a WeChat user's conversation is ``wechat:...``, so no id sent to the web API, the kiosk or
  Rasa's REST channel can reach it, whatever that id is.
* **Ids the server issued.** The web page, the kiosk and Rasa's REST channel do not choose their sender: they ask
  ``POST /api/v1/session`` for one, an unguessable nonce with an HMAC under the session secret.
  A log line only ever shows a pseudonym (a salted hash) of an id, which carries no signature
  and so addresses nothing. (The same id sent to the web API and to the kiosk reaches two
  different conversations, ``web:`` and ``kiosk:``: the namespace, not the id, picks it.)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

#: The channels whose senders must be ids the server issued (a REST client that sends none is
#: given one). WeChat's platform vouches for its sender (it signs every message); the namespace
#: keeps it apart all the same.
ISSUED_CHANNELS = ("web", "kiosk", "rest")
_NONCE_BYTES = 18


def conversation_id(channel: str, sender: str) -> str:
    """The conversation (Rasa sender id) a channel's sender addresses."""
    return f"{channel}:{sender}"


def _signature(secret: str, nonce: str) -> str:
    message = f"civic-sender|{nonce}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def issue_sender(secret: str) -> str:
    """A new sender id: ``<nonce>.<signature>``."""
    nonce = secrets.token_urlsafe(_NONCE_BYTES)
    return f"{nonce}.{_signature(secret, nonce)}"


def is_issued(secret: str, sender: str) -> bool:
    """Whether this server issued ``sender`` (constant-time)."""
    nonce, dot, signature = (sender or "").rpartition(".")
    if not dot or not nonce or len(nonce) > 64:
        return False
    return hmac.compare_digest(signature.encode(), _signature(secret, nonce).encode())
