"""The small error taxonomy every outbound integration call raises.

The gateway turns whatever the remote side or the network did into one of these, so the
callers decide by class: refresh and retry once, retry later, or show the message.
"""

from __future__ import annotations


class IntegrationError(Exception):
    """Something a person can act on; the message says what to do."""


class Unauthorized(IntegrationError):
    """The session is invalid and could not be refreshed: the store must reconnect."""


class Transient(IntegrationError):
    """Worth retrying later: 5xx, dropped connections, locked rows, timeouts."""


class RateLimited(Transient):
    """The org's API request limit is used up (REQUEST_LIMIT_EXCEEDED)."""


class Unconfirmed(Transient):
    """The connection broke after a non-idempotent request (a create) was sent: the remote
    side may or may not have done it, so repeating it blindly could do it twice."""


class Permanent(IntegrationError):
    """The remote side refused the request; retrying will not help until something changes.

    Carries the remote error code and message exactly as they came.
    """

    def __init__(self, message: str, *, error_code: str = "", fields: list[str] | None = None):
        super().__init__(f"{error_code}: {message}" if error_code else message)
        self.error_code = error_code
        self.remote_message = message
        self.fields = fields or []


class ConfigurationError(IntegrationError):
    """The integration's settings no longer match the remote side (a field was deleted...)."""
