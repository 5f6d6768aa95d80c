"""Errors shaped like Saleor's (captures: graphql-*-denied.json, graphql-error-*.json).

Top-level errors carry `extensions.exception.code` (production shape, no DEBUG stacktrace)."""

from __future__ import annotations

from typing import Any


class SaleorError(Exception):
    code = "GraphQLError"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.extensions: dict[str, Any] = {"exception": {"code": self.code}}


class PermissionDenied(SaleorError):
    code = "PermissionDenied"

    def __init__(self, message: str | None = None, *, permissions: list[str] | None = None) -> None:
        if message is None:
            if permissions:
                message = "To access this path, you need one of the following permissions: " + ", ".join(
                    permissions
                )
            else:
                message = "You do not have permission to perform this action"
        super().__init__(message)


class ExpiredSignature(SaleorError):
    code = "ExpiredSignatureError"

    def __init__(self) -> None:
        super().__init__("Signature has expired")


class Unsupported(SaleorError):
    """Raised for inputs the emulator does not model, so a test never passes by accident."""

    code = "EmulatorUnsupported"


def payload_error(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    """One entry of a mutation payload's `errors` list (missing keys resolve to null)."""
    return {"field": field, "message": message, "code": code, **extra}
