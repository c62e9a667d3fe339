"""Voice API: speak a text, transcribe a recording, or do a whole spoken turn (the kiosk).

- ``POST /api/v1/tts`` ``{"text", "lang", "mode", "format"?}`` -> audio (WAV streamed, or MP3/Ogg)
- ``POST /api/v1/stt`` multipart ``audio`` (+ ``lang``) -> ``{"text", "lang", "seconds"}``
- ``POST /api/v1/voice`` multipart ``audio`` (+ ``lang``, ``mode``, ``sender``: a kiosk id from
  ``POST /api/v1/session``, or none for a new conversation) -> ``transcript``
  (text), the chat ``replies`` and the URL of their audio (``audio_url``: all replies; each reply
  has its own too) at ``GET /api/v1/tts/audio/{id}``, fetched when the page plays it, so the
  turn's answer is not held up by synthesis.
"""

from __future__ import annotations

import json
from typing import List, Literal, Optional, Tuple

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field, StrictStr
from starlette.background import BackgroundTask

from assistant.core.turns import Turn
from assistant.errors import InputError, NotFoundError, UnavailableError
from assistant.core.identity import issue_sender
from assistant.gateway.deps import CoreDep, SettingsDep, StoreDep
from assistant.gateway.routes.chat import require_issued
from assistant.voice import audio
from assistant.voice.cache import cache_key, valid_key
from assistant.pools import WorkerPool
from assistant.voice.listener import SpeechListener
from assistant.voice.service import MAX_TEXT_CHARS, Speech, VoiceService

router = APIRouter(prefix="/api/v1", tags=["voice"])
SAY_TTL_SECONDS = 24 * 3600


class TtsRequest(BaseModel):
    text: StrictStr = Field(..., min_length=1, max_length=MAX_TEXT_CHARS)
    lang: Literal["zh", "en"]
    mode: Literal["standard", "elderly"] = "standard"
    format: Optional[Literal["wav", "mp3", "ogg"]] = Field(None, description="default: the engine's own")

    class Config:
        extra = "ignore"


def get_voice(request: Request) -> VoiceService:
    voice = getattr(request.app.state, "voice", None)
    if voice is None:
        raise UnavailableError("voice is unavailable on this server")
    return voice


def _pool(request: Request, name: str) -> WorkerPool:
    return request.app.state.pools[name]


def _listener(request: Request) -> SpeechListener:
    """Recognition on the worker processes of the lifespan's speech pool (never this process)."""
    return request.app.state.listener


def _headers(speech: Speech) -> dict:
    return {"X-Voice-Engine": speech.engine, "X-Voice-Cache": "hit" if speech.cached else "miss",
            "Cache-Control": "public, max-age=86400"}


async def _speak(request: Request, voice: VoiceService, text: str, lang: str, mode: str,
                 fmt: Optional[str]) -> Response:
    """Synthesis on the speech-synthesis pool, one place held until the last chunk is sent:
    a flood of requests gets 503 with Retry-After instead of the server's threads."""
    place = _pool(request, "tts").hold()
    try:
        speech = await place.call(voice.speak, text, lang, mode)
        if fmt and audio.MIME.get(fmt) != speech.mime:
            data = await place.call(lambda: audio.convert(speech.read(), fmt))
            return Response(data, media_type=audio.MIME[fmt], headers=_headers(speech))
        if speech.cached:
            return Response(speech.read(), media_type=speech.mime, headers=_headers(speech))
    except BaseException:
        place.release()
        raise
    return StreamingResponse(place.stream(speech.chunks), media_type=speech.mime,
                             headers=_headers(speech), background=BackgroundTask(place.release))


@router.post("/tts", responses={200: {"content": {"audio/wav": {}, "audio/mpeg": {}}}})
async def tts(body: TtsRequest, request: Request) -> Response:
    """Speak ``text``. Elderly mode speaks more slowly. 503 if no engine can speak ``lang``
    or every synthesis place is taken (with Retry-After)."""
    return await _speak(request, get_voice(request), body.text, body.lang, body.mode, body.format)


@router.get("/tts/audio/{speech_id}")
async def tts_audio(speech_id: str, request: Request, store: StoreDep) -> Response:
    """The audio of a reply named by ``/api/v1/voice`` (kept for a day)."""
    voice = get_voice(request)
    raw = await _pool(request, "io").run(store.get, f"voice:say:{speech_id}") if valid_key(speech_id) else None
    if raw is None:
        raise NotFoundError("no such reply audio (it may have expired)")
    said = json.loads(raw)
    return await _speak(request, voice, said["text"], said["lang"], said["mode"], None)


async def _read_upload(upload: UploadFile) -> bytes:
    data = await upload.read(audio.MAX_BYTES + 1)
    if len(data) > audio.MAX_BYTES:
        raise InputError(f"the audio is larger than {audio.MAX_BYTES // (1024 * 1024)} MB")
    return data


def _lang_field(lang: Optional[str]) -> Optional[str]:
    lang = (lang or "").strip().lower() or None
    if lang is not None and lang not in ("zh", "en"):
        raise InputError(f"unsupported language {lang!r}; use zh or en")
    return lang


@router.post("/stt")
async def stt(request: Request, audio_file: UploadFile = File(..., alias="audio"),
              lang: Optional[str] = Form(None)) -> dict:
    """Transcribe one recording (WAV, WebM/Opus, Ogg Opus/Speex, AMR, MP3, FLAC; <= 60 s, 5 MB).
    Decoding and recognition run on the speech pool's worker processes: 503 with Retry-After
    when it is full."""
    get_voice(request)
    data = await _read_upload(audio_file)
    transcript = await _listener(request).listen(data, _lang_field(lang))
    return {"text": transcript.text, "lang": transcript.lang, "seconds": transcript.seconds}


def _remember(store, said: List[Tuple[str, str, str, float]]) -> List[str]:  # type: ignore[no-untyped-def]
    """Store what each reply said under its id, for ``/tts/audio/{id}``; one blocking batch."""
    ids = []
    for text, lang, mode, rate in said:
        speech_id = cache_key("reply", lang, rate, text)
        store.set(f"voice:say:{speech_id}", json.dumps({"text": text, "lang": lang, "mode": mode}),
                  ttl=SAY_TTL_SECONDS)
        ids.append(speech_id)
    return ids


@router.post("/voice")
async def voice_turn(request: Request, core: CoreDep, store: StoreDep, settings: SettingsDep,
                     audio_file: UploadFile = File(..., alias="audio"), lang: Optional[str] = Form(None),
                     mode: Optional[str] = Form(None), sender: Optional[str] = Form(None)) -> dict:
    """One spoken turn: transcript, replies, and where to fetch each reply's audio."""
    voice = get_voice(request)
    mode = (mode or "elderly").strip()
    rate = voice.rate_for(mode)
    sender = (sender or "").strip()
    if sender:  # the kiosk's id from POST /api/v1/session; none: a new conversation
        require_issued(settings, "kiosk", sender)
    else:
        sender = issue_sender(settings.session_secret)
    data = await _read_upload(audio_file)
    transcript = await _listener(request).listen(data, _lang_field(lang))
    if not transcript.text:
        raise InputError("no words could be recognised in the audio; please try again")
    result = await core.handle(Turn(sender=sender, text=transcript.text, channel="kiosk",
                                    lang=transcript.lang, mode=mode))
    spoken = [r.text for r in result.replies if r.text.strip()]
    whole = "\n".join(spoken)
    said = [(text[:MAX_TEXT_CHARS], result.lang, mode, rate) for text in spoken + ([whole] if whole else [])]
    ids = iter(await _pool(request, "io").run(_remember, store, said))  # Redis off the event loop
    replies = []
    for reply in result.replies:
        item = {"text": reply.text, "buttons": [{"title": b.title, "payload": b.payload} for b in reply.buttons],
                "audio_url": _audio_url(request, next(ids)) if reply.text.strip() else None}
        replies.append(item)
    return {"sender": sender, "transcript": transcript.text, "transcript_lang": transcript.lang,
            "seconds": transcript.seconds, "lang": result.lang, "mode": result.mode, "replies": replies,
            "audio_url": _audio_url(request, next(ids)) if whole else None,
            "topic": result.topic, "intent": result.intent, "confidence": result.confidence}


def _audio_url(request: Request, speech_id: str) -> str:
    return str(request.url_for("tts_audio", speech_id=speech_id).path)
