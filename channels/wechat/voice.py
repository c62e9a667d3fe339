"""Voice messages without WeChat's own recognition: fetch the audio from WeChat.

WeChat only adds ``Recognition`` text when the account enabled it and WeChat understood the
speech. Otherwise the channel downloads the recording (AMR or Speex) here and hands the bytes to
the project's speech recogniser (``assistant.voice``), which decodes and transcribes any format
itself. Blocking (wechatpy's HTTP client): run it in a thread.
"""

from __future__ import annotations

from typing import Any

from assistant.errors import UnavailableError

MAX_AUDIO_BYTES = 2 * 1024 * 1024  # WeChat voice messages are at most 60 s, well under this


def download(client: Any, media_id: str) -> bytes:
    """The recording behind ``media_id`` (WeChat's temporary media), at most 2 MB."""
    response = client.media.download(media_id)
    data = response.content
    if not data:
        raise UnavailableError("WeChat returned an empty voice message")
    if len(data) > MAX_AUDIO_BYTES:
        raise UnavailableError(f"audio of {len(data)} bytes is larger than a WeChat voice message")
    return data
