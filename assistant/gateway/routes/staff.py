"""The staff dashboard (``/staff``): login, the figures of the latest analysis, FAQ candidates
to accept or dismiss, and the handoff ticket queue.

Every route except the login page and the login call needs a valid session cookie: pages
redirect to the login, everything else answers 401, so no figure, question or ticket leaves
without a session. The cookie holds a signed token (``analytics.accounts``), is HttpOnly and
SameSite=Strict (a page elsewhere cannot post with it), and Secure in production. Routes declare
the signed-in staff member as :data:`CurrentStaff`, which also checks that the account still
exists and is not disabled, on every request.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Dict, List, Optional, Set

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.engine import Engine

from analytics import accounts, store
from assistant.errors import AuthError, ForbiddenError, InputError, NotFoundError
from assistant.gateway.deps import SessionsDep, SettingsDep, StoreDep
from assistant.logs import log_event, pseudonym

router = APIRouter(prefix="/staff", tags=["staff"], include_in_schema=False)

WEB = Path(__file__).resolve().parents[2] / "web" / "staff"
COOKIE = "civic_staff"
MAX_FAILURES = 5  # per account and client address
MAX_ACCOUNT_FAILURES = 30  # per account, every address together (a botnet's guesses)
LOCKOUT_SECONDS = 900
_ready: Set[str] = set()
_ready_lock = threading.Lock()


def ensure_tables(engine: Engine) -> None:
    """The dashboard's own tables, created once per database per process."""
    key = str(engine.url)
    with _ready_lock:
        if key not in _ready:
            store.ensure_tables(engine)
            accounts.ensure_tables(engine)
            _ready.add(key)


def current_user(request: Request) -> Optional[str]:
    """The signed-in staff member: a valid, unrevoked token of an account that still exists and
    is not disabled (a deleted account's cookie is worth nothing), else ``None``."""
    settings = request.app.state.settings
    found = accounts.read_token(settings.session_secret, request.cookies.get(COOKIE))
    if found is None:
        return None
    username, nonce, _ = found
    if request.app.state.store.get(f"staff:revoked:{nonce}") is not None:
        return None
    ensure_tables(request.app.state.engine)
    with request.app.state.sessions() as session:
        if not accounts.is_active(session, username):
            log_event("staff.session.refused", reason="account gone or disabled")
            return None
    return username


def require_user(request: Request) -> str:
    user = current_user(request)
    if user is None:
        raise AuthError("staff session required: log in at /staff/login")
    return user


#: The signed-in staff member, for every staff route that needs one.
CurrentStaff = Annotated[str, Depends(require_user)]


def require_approver(request: Request) -> str:
    """A signed-in approver: no session is a 401, another role a 403 (issue 17)."""
    user = require_user(request)
    with request.app.state.sessions() as session:
        role = accounts.role_of(session, user)
    if role != "approver":
        log_event("staff.forbidden", user=user, needs="approver")
        raise ForbiddenError("this needs an approver's account")
    return user


#: The signed-in staff member with the approver role (imports and publishes the catalogue).
CurrentApprover = Annotated[str, Depends(require_approver)]


# --- pages and assets ----------------------------------------------------------------------------

@router.get("", response_model=None)
@router.get("/", response_model=None)
def dashboard_page(request: Request) -> Response:
    if current_user(request) is None:
        return RedirectResponse("/staff/login", status_code=303)
    return FileResponse(WEB / "index.html", headers=PAGE_HEADERS)


@router.get("/login", response_model=None)
def login_page(request: Request) -> Response:
    if current_user(request) is not None:
        return RedirectResponse("/staff", status_code=303)
    return FileResponse(WEB / "login.html", headers=PAGE_HEADERS)


#: What the login page itself needs; every other asset needs a session.
PUBLIC_ASSETS = {"login.js", "staff.css"}
_CSP = ("default-src 'self'; img-src 'self' data:; connect-src 'self'; style-src 'self'; "
        "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
PAGE_HEADERS = {"Cache-Control": "no-store", "Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "same-origin"}


@router.get("/assets/{path:path}", response_model=None)
def static_file(path: str, request: Request) -> Response:
    if path not in PUBLIC_ASSETS:
        require_user(request)
    target = (WEB / path).resolve()
    if WEB.resolve() not in target.parents or not target.is_file() or target.name.endswith(".html"):
        raise NotFoundError(f"no staff asset {path}")
    return FileResponse(target, headers={"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"})


# --- session --------------------------------------------------------------------------------------

class Login(BaseModel):
    username: str = Field(..., min_length=1, max_length=64)
    password: str = Field(..., min_length=1, max_length=256)


@router.post("/login", response_model=None)
def login(body: Login, request: Request, settings: SettingsDep, sessions: SessionsDep, kv: StoreDep) -> Response:
    username = body.username.strip().lower()
    typed = pseudonym(username, settings.id_salt)  # what was typed may be a password: never logged
    client = pseudonym(request.client.host if request.client else "", settings.id_salt)
    account_key = f"staff:failures:{typed}"
    failures_key = f"{account_key}:{client}"
    # Counted before the password is checked, in one atomic step: concurrent guesses cannot all
    # read "0 failures so far" and all run (a success clears the counts). The count per address
    # comes first, so a stranger elsewhere cannot lock a colleague out with five guesses.
    mine = kv.incr(failures_key, LOCKOUT_SECONDS)
    everyone = kv.incr(account_key, LOCKOUT_SECONDS)
    if mine > MAX_FAILURES or everyone > MAX_ACCOUNT_FAILURES:
        log_event("staff.login.locked", user=typed)
        return JSONResponse({"error": "too many failed logins; try again in 15 minutes"}, status_code=429,
                            headers={"Retry-After": str(LOCKOUT_SECONDS)})
    if settings.environment == "production" and (
        username == accounts.DEMO_USER or body.password == settings.staff_demo_password
        or body.password in ("demo", "changeme")
    ):
        raise AuthError("the demo account is not available outside local development")
    ensure_tables(request.app.state.engine)
    with sessions() as session:  # scrypt on the bounded, low-priority login pool (issue 15)
        user = request.app.state.pools["login"].run_sync(accounts.authenticate, session, username, body.password)
    if user is None:
        log_event("staff.login.failed", user=typed)
        raise AuthError("wrong username or password")
    kv.delete(failures_key)
    kv.delete(account_key)
    ttl = int(settings.staff_session_hours * 3600)
    response = JSONResponse({"user": user})
    response.set_cookie(COOKIE, accounts.make_token(settings.session_secret, user, ttl), max_age=ttl,
                        httponly=True, samesite="strict", secure=settings.environment == "production",
                        path="/staff")
    log_event("staff.login", user=user)
    return response


@router.post("/logout", response_model=None)
def logout(request: Request, settings: SettingsDep, kv: StoreDep) -> Response:
    found = accounts.read_token(settings.session_secret, request.cookies.get(COOKIE))
    if found is None:
        raise AuthError("not logged in")
    username, nonce, expires = found
    kv.set(f"staff:revoked:{nonce}", "1", ttl=max(1.0, expires - datetime.utcnow().timestamp()))
    response = JSONResponse({"ok": True})
    response.delete_cookie(COOKIE, path="/staff")
    log_event("staff.logout", user=username)
    return response


# --- data -------------------------------------------------------------------------------------------

@router.get("/api/me")
def me(user: CurrentStaff) -> Dict[str, str]:
    return {"user": user}


def _period_json(period: store.AnalyticsPeriod) -> Dict[str, Any]:
    return {"id": period.id, "since": period.since.isoformat(), "until": period.until.isoformat(),
            "events": period.events, "conversations": period.conversations,
            "computed_at": period.computed_at.isoformat() + "Z", "seconds": period.seconds}


def _names() -> Dict[str, Dict[str, str]]:
    try:
        from knowledge.reference import MATTER_NAMES
    except ImportError:  # the data package is optional for the dashboard
        return {}
    return {m: {"zh": zh, "en": en} for m, (zh, en, _) in MATTER_NAMES.items()}


@router.get("/api/periods")
def list_periods(request: Request, sessions: SessionsDep, user: CurrentStaff) -> List[Dict[str, Any]]:
    ensure_tables(request.app.state.engine)
    with sessions() as session:
        return [_period_json(p) for p in store.periods(session)]


@router.get("/api/dashboard")
def dashboard(request: Request, sessions: SessionsDep, user: CurrentStaff,
              period_id: Optional[int] = None) -> Dict[str, Any]:
    ensure_tables(request.app.state.engine)
    with sessions() as session:
        period = store.period(session, period_id)
        if period is None:
            if period_id is not None:
                raise NotFoundError(f"no analysis period {period_id}")
            return {"period": None, "figures": {}, "faq": [], "names": _names()}
        figures = store.figures(session, period.id)
        figures.pop("unanswered", None)  # thousands of texts the charts do not draw (the FAQ loop's counts)
        return {"period": _period_json(period), "figures": figures,
                "faq": store.faq_candidates(session, period.id), "names": _names()}


def _candidate(session, fingerprint: str) -> store.FaqCandidate:  # type: ignore[no-untyped-def]
    found = session.execute(select(store.FaqCandidate).where(store.FaqCandidate.fingerprint == fingerprint)
                            .order_by(store.FaqCandidate.id.desc())).scalars().first()
    if found is None:
        raise NotFoundError(f"no FAQ candidate {fingerprint}")
    return found


@router.post("/api/faq/{fingerprint}/accept")
def accept(fingerprint: str, request: Request, sessions: SessionsDep, user: CurrentStaff) -> Dict[str, Any]:
    """Accepting a group opens a Q&A draft in the catalogue editor, its question and examples
    filled in (issue 17); the answer reaches the assistant once an approver publishes it."""
    if not (fingerprint.isascii() and fingerprint.isalnum()) or len(fingerprint) != 16:
        raise InputError("fingerprint must be 16 letters or digits")
    ensure_tables(request.app.state.engine)
    editor = f"/staff/editor?faq={fingerprint}"
    with sessions.begin() as session:
        _candidate(session, fingerprint)
        store.decide(session, fingerprint, "accepted", user, editor)
    log_event("staff.faq.accepted", user=user, fingerprint=fingerprint)
    return {"status": "accepted", "editor": editor}


@router.post("/api/faq/{fingerprint}/dismiss")
def dismiss(fingerprint: str, request: Request, sessions: SessionsDep, user: CurrentStaff) -> Dict[str, Any]:
    ensure_tables(request.app.state.engine)
    with sessions.begin() as session:
        _candidate(session, fingerprint)
        store.decide(session, fingerprint, "dismissed", user)
    log_event("staff.faq.dismissed", user=user, fingerprint=fingerprint)
    return {"status": "dismissed"}


@router.get("/api/tickets")
def tickets(sessions: SessionsDep, user: CurrentStaff, status: str = "open") -> Dict[str, Any]:
    try:
        from knowledge.models import TICKET_STATUSES, HandoffTicket
    except ImportError:
        return {"tickets": [], "problem": "handoff tickets are not available in this installation"}
    if status not in TICKET_STATUSES + ("all",):
        raise InputError(f"status must be one of {', '.join(TICKET_STATUSES + ('all',))}")
    query = select(HandoffTicket).order_by(HandoffTicket.created_at.desc()).limit(200)
    if status != "all":
        query = query.where(HandoffTicket.status == status)
    try:
        with sessions() as session:
            rows = list(session.execute(query).scalars())
    except Exception as err:  # table not migrated yet, database down
        log_event("staff.tickets.unavailable", error=type(err).__name__)
        return {"tickets": [], "problem": "the ticket queue is not available right now"}
    return {"tickets": [
        {"reference": t.reference, "channel": t.channel, "lang": t.lang, "topic": t.topic, "reason": t.reason,
         "status": t.status, "created_at": t.created_at.isoformat() + "Z",
         "transcript": _transcript(t.transcript)} for t in rows]}


def _transcript(raw: str) -> list:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


@router.post("/api/cases/{case_number}/unlock")
def unlock_case(case_number: str, sessions: SessionsDep, user: CurrentStaff) -> Dict[str, Any]:
    """Lift the case check's lockout for a citizen who proved who they are at the hall."""
    from knowledge.case_check import unlock_case as unlock

    number = "".join(case_number.split()).upper()
    if not (4 <= len(number) <= 32 and number.isascii() and number.isalnum()):
        raise InputError("case number: letters and digits")
    locks = unlock(sessions, number)
    log_event("staff.case.unlocked", user=user, locks=locks)
    return {"case_number": number, "locks_lifted": locks}
