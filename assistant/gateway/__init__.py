"""The FastAPI gateway: HTTP edge of the assistant (APIs, channels, pages)."""
