"""The project's one exception tree.

HTTP status codes are chosen only at the HTTP edge (``assistant.gateway``); everything below it
raises these, chaining the cause with ``raise ... from err``.
"""


class CivicError(Exception):
    """Base of every error the project raises on purpose."""


class ConfigError(CivicError):
    """A setting is missing or has a bad value; the message names the variable."""


class InputError(CivicError):
    """The caller sent something we cannot accept (too long, wrong language, bad format)."""


class NotFoundError(CivicError):
    """A thing the caller named (matter, case, booking) does not exist, or is not theirs to see."""


class UnavailableError(CivicError):
    """A dependency (model, database, Redis, speech engine) cannot serve right now."""


class AuthError(CivicError):
    """Credentials are missing or wrong (bearer token, signature, staff session)."""


class ForbiddenError(CivicError):
    """The caller is known but their role does not allow this (a staff editor importing)."""


class TurnUnavailableError(UnavailableError):
    """A message could not be answered because a dependency is down (Redis, the action server).

    Carries the polite result the person is shown instead (in their language, with the hotline),
    so every channel apologises the same way and the HTTP edge can send it with a 503.
    """

    def __init__(self, message: str, result: object) -> None:
        super().__init__(message)
        self.result = result


class BusyError(UnavailableError):
    """A bounded pool or queue is full: try again after ``retry_after`` seconds (503)."""

    def __init__(self, message: str, retry_after: float = 5.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimitedError(CivicError):
    """One client or subject asked too often: try again after ``retry_after`` seconds (429)."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
