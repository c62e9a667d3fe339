"""The people-facing pages: web chat (``/``), kiosk (``/kiosk``), the printable materials
checklist the kiosk's QR code points at, and their static files under ``/static``.

Everything is served from ``assistant/web`` by us (kiosks may be offline; no CDN). Text files are
gzipped once per version and kept in memory, so a page's first load stays small on a slow hall
network without a compression middleware in front of the whole API.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Tuple

from fastapi import APIRouter, Request
from fastapi.responses import Response

from assistant.errors import NotFoundError

WEB_DIR = (Path(__file__).resolve().parents[2] / "web").resolve()

router = APIRouter(tags=["pages"], include_in_schema=False)

#: Only these kinds of file leave ``assistant/web`` (no README, no build scripts).
STATIC_TYPES: Dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".webmanifest"}
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

#: Pages may only talk to us and be framed by us (clickjacking); the chat page may also be framed
#: by the origins an operator lists in CIVIC_FRAME_ANCESTORS (for widget.js), by no one else.
_CSP = ("default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
        "connect-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}")
PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "microphone=(self), camera=(), geolocation=()",
    "Cache-Control": "no-cache",
}


@lru_cache(maxsize=256)
def _load(path: Path, mtime_ns: int) -> Tuple[bytes, bytes, str]:
    """(raw, gzipped, etag) of one file version; the mtime in the key drops stale versions."""
    raw = path.read_bytes()
    packed = gzip.compress(raw, compresslevel=9, mtime=0) if path.suffix in COMPRESSIBLE else raw
    return raw, packed, '"' + hashlib.sha256(raw).hexdigest()[:20] + '"'


def resolve_static(relative: str) -> Path:
    """The file under ``WEB_DIR`` that ``relative`` names, or NotFoundError (no ``..`` escapes)."""
    target = (WEB_DIR / relative).resolve()
    if WEB_DIR not in target.parents or target.suffix not in STATIC_TYPES or not target.is_file():
        raise NotFoundError(f"no such file: /static/{relative}")
    return target


def file_response(request: Request, path: Path, extra: Dict[str, str] | None = None) -> Response:
    raw, packed, etag = _load(path, path.stat().st_mtime_ns)
    headers = dict(PAGE_HEADERS, ETag=etag, Vary="Accept-Encoding", **(extra or {}))
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    media_type = STATIC_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if packed is not raw and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(packed, media_type=media_type, headers=headers)
    return Response(raw, media_type=media_type, headers=headers)


def page(request: Request, name: str, ancestors: str = "") -> Response:
    headers = {"Content-Security-Policy": _CSP.format(ancestors=" ".join(("'self'", *ancestors.split())))}
    if not ancestors.strip():  # browsers without frame-ancestors: same origin only
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return file_response(request, WEB_DIR / name, headers)


@router.api_route("/", methods=["GET", "HEAD"])
def web_chat(request: Request) -> Response:
    """The web chat; only the sites in CIVIC_FRAME_ANCESTORS may frame it (``/static/widget.js``)."""
    return page(request, "index.html", request.app.state.settings.frame_ancestors)


@router.api_route("/kiosk", methods=["GET", "HEAD"])
def kiosk(request: Request) -> Response:
    """The service-hall kiosk, elderly-first. ``?idle=SECONDS`` shortens the idle wipe (tests, demos)."""
    return page(request, "kiosk.html")


@router.api_route("/checklist/{kind}/{item_id}", methods=["GET", "HEAD"])
def checklist(request: Request, kind: str, item_id: str) -> Response:
    """Printable materials checklist of a matter or life event (the kiosk QR code points here)."""
    if kind not in ("matter", "event") or not ID_PATTERN.match(item_id):
        raise NotFoundError(f"no checklist for {kind}/{item_id[:64]}")
    return page(request, "checklist.html")


@router.api_route("/static/{relative:path}", methods=["GET", "HEAD"])
def static(request: Request, relative: str) -> Response:
    return file_response(request, resolve_static(relative))
