"""Typed errors of the Saleor protocol layer, each with a stable code and an HTTP status."""

from __future__ import annotations

from typing import Any

from ..kit.errors import AppError, DependencyError


class ProtocolError(AppError):
    """A request from Saleor (or the dashboard) that the app refuses."""

    status = 400

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(message, code=code, status=status)

    def as_body(self) -> dict[str, Any]:
        return {"success": False, "error": {"code": self.code, "message": self.message}}


class SaleorApiError(DependencyError):
    """Base of errors from calling Saleor's GraphQL API."""

    code = "SALEOR_ERROR"
    status = 502
    retryable = False


class SaleorUnavailable(SaleorApiError):
    """Saleor answered 5xx or 429, timed out or could not be reached: try again later.

    ``may_have_applied``: the request may have reached Saleor and a mutation may have landed although
    no answer came back (a timeout or reset after sending, a 5xx); False only when it was never sent
    (no connection) or Saleor said it did not take it (429)."""

    code = "SALEOR_UNAVAILABLE"
    status = 503
    retryable = True

    def __init__(self, message: str = "", *, may_have_applied: bool = True) -> None:
        super().__init__(message)
        self.may_have_applied = may_have_applied


class SaleorGraphQLError(SaleorApiError):
    """Top-level GraphQL `errors` (validation, permission, unknown id...)."""

    def __init__(self, operation: str, errors: list[dict[str, Any]]) -> None:
        self.operation = operation
        self.errors = errors
        codes = ", ".join(
            str((e.get("extensions") or {}).get("exception", {}).get("code", "")) for e in errors
        )
        messages = "; ".join(str(e.get("message")) for e in errors)
        super().__init__(f"{operation}: {messages} [{codes}]")

    @property
    def is_permission_denied(self) -> bool:
        return any(
            (e.get("extensions") or {}).get("exception", {}).get("code") == "PermissionDenied"
            for e in self.errors
        )


class SaleorMutationError(SaleorApiError):
    """A mutation's payload `errors` list (field, code, message) was not empty."""

    def __init__(self, operation: str, errors: list[dict[str, Any]]) -> None:
        self.operation = operation
        self.errors = errors
        super().__init__(
            f"{operation}: "
            + "; ".join(f"{e.get('field')}: {e.get('code')} {e.get('message')}" for e in errors)
        )

    @property
    def codes(self) -> set[str]:
        return {str(e.get("code")) for e in self.errors}
