"""Voice: offline speech out (TTS) and in (STT), Chinese and English. See ``service.py``."""
