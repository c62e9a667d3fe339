"""Staff accounts for the dashboard: salted scrypt password hashes and signed session tokens.

Passwords are stored only as ``scrypt$n$r$p$salt$hash`` (memory-hard, so a stolen table is slow
to crack) and compared in constant time. A session is a token ``user|expires|nonce|signature``
signed with HMAC-SHA256 under ``settings.session_secret``: the server keeps no session table,
yet a changed byte or an expired time is refused; logout revokes the nonce in the shared store,
and every request checks that the account still exists and is not disabled (:func:`is_active`),
so deleting or disabling an account ends its sessions at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from datetime import datetime
from typing import Optional

from sqlalchemy import Column, DateTime, Integer, String, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.errors import InputError
from knowledge.db import Base

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.\-]{1,31}$")
DEMO_USER = "demo"
#: Editors draft catalogue changes; approvers also import and publish them (issue 17).
ROLES = ("editor", "approver")
DEFAULT_ROLE = "editor"
MIN_PASSWORD = 8
_N, _R, _P = 2**14, 8, 1


class StaffUser(Base):
    __tablename__ = "staff_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(32), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)
    created_at = Column(DateTime, nullable=False)
    disabled_at = Column(DateTime, nullable=True)  # set: no login, no session
    role = Column(String(16), nullable=False, default=DEFAULT_ROLE)


def ensure_tables(engine: Engine) -> None:
    Base.metadata.create_all(engine, tables=[StaffUser.__table__], checkfirst=True)
    columns = {c["name"] for c in inspect(engine).get_columns(StaffUser.__tablename__)}
    if "disabled_at" not in columns:  # a table made before accounts could be disabled
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE staff_users ADD COLUMN disabled_at TIMESTAMP NULL"))
    if "role" not in columns:  # a table made before roles: every existing account is an editor
        with engine.begin() as connection:
            connection.execute(text(f"ALTER TABLE staff_users ADD COLUMN role VARCHAR(16) NOT NULL "
                                    f"DEFAULT '{DEFAULT_ROLE}'"))


def is_active(session: Session, username: str) -> bool:
    """The account exists and is not disabled (asked on every staff request)."""
    found = session.execute(select(StaffUser.disabled_at).where(StaffUser.username == username)).first()
    return found is not None and found.disabled_at is None


def role_of(session: Session, username: str) -> Optional[str]:
    """The role of an active account, ``None`` for an unknown or disabled one."""
    found = session.execute(select(StaffUser.role, StaffUser.disabled_at)
                            .where(StaffUser.username == username)).first()
    return found.role if found is not None and found.disabled_at is None else None


def set_role(session: Session, username: str, role: str) -> bool:
    """Give an account a role; ``False`` when there is no such account."""
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}")
    user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
    if user is None:
        return False
    user.role = role
    return True


def set_disabled(session: Session, username: str, disabled: bool) -> bool:
    """Disable (or enable again) an account; ``False`` when there is no such account."""
    user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
    if user is None:
        return False
    user.disabled_at = datetime.utcnow() if disabled else None
    return True


def delete_user(session: Session, username: str) -> bool:
    user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
    if user is None:
        return False
    session.delete(user)
    return True


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                                   p=int(p), dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def check_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise InputError("username: 2-32 characters, lower-case letters, digits, '.', '_' or '-'")
    return username


def set_user(session: Session, username: str, password: str, min_length: int = MIN_PASSWORD,
             role: Optional[str] = None) -> StaffUser:
    """Create the user or change their password (and their role when one is given; new accounts
    are editors unless told otherwise)."""
    username = check_username(username)
    if len(password) < min_length:
        raise InputError(f"password must be at least {min_length} characters")
    if role is not None and role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}")
    user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
    if user is None:
        user = StaffUser(username=username, password_hash=hash_password(password), created_at=datetime.utcnow(),
                         role=role or DEFAULT_ROLE)
        session.add(user)
    else:
        user.password_hash = hash_password(password)
        if role is not None:
            user.role = role
    return user


def authenticate(session: Session, username: str, password: str) -> Optional[str]:
    """The canonical username when the password is right, else ``None`` (same work either way)."""
    try:
        username = check_username(username)
    except InputError:
        username = ""
    user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
    stored = user.password_hash if user else hash_password("not a user")  # keep timing alike
    ok = verify_password(password, stored)
    return user.username if user and ok and user.disabled_at is None else None


def _signature(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def make_token(secret: str, username: str, ttl_seconds: int, now: Optional[float] = None) -> str:
    expires = int((now or time.time()) + ttl_seconds)
    payload = f"{username}|{expires}|{secrets.token_hex(8)}"
    return f"{payload}|{_signature(secret, payload)}"


def read_token(secret: str, token: Optional[str], now: Optional[float] = None) -> Optional[tuple]:
    """(username, nonce, expires) of a valid, unexpired token, else ``None``."""
    if not token or token.count("|") != 3:
        return None
    username, expires, nonce, signature = token.split("|")
    if not hmac.compare_digest(signature, _signature(secret, f"{username}|{expires}|{nonce}")):
        return None
    if not expires.isdigit() or int(expires) < (now or time.time()):
        return None
    return username, nonce, int(expires)
