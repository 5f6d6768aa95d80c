"""The one error base: every error the app raises on purpose carries a stable code and a status.

Each adapter maps it in one place: HTTP routes (web/protocol.py), the GraphQL API (api/errors.py) and
the HTML offer pages (web/offer_pages.py). ``status`` is the HTTP status the error stands for.
"""

from __future__ import annotations


class AppError(Exception):
    code: str = "ERROR"
    status: int = 500

    def __init__(self, message: str = "", *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message or self.code)
        self.message = message or self.code
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class DependencyError(AppError):
    """A service the app depends on (Saleor's API) refused a call or was away: expected now and then,
    so it is logged as a warning when an event is retried for it."""

    code = "DEPENDENCY_ERROR"
    status = 502
