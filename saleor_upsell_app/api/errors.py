"""Errors the API shows to its callers; everything else is masked as "Unexpected error."."""

from __future__ import annotations

from graphql import GraphQLError

# Top-level error codes (extensions.code). Payload errors use the ErrorCode enum in types.py instead.
UNAUTHENTICATED = "UNAUTHENTICATED"
PERMISSION_DENIED = "PERMISSION_DENIED"
NOT_FOUND = "NOT_FOUND"
SALEOR_UNAVAILABLE = "SALEOR_UNAVAILABLE"
BAD_REQUEST = "BAD_REQUEST"  # arguments that are well-typed but make no sense (e.g. an empty range)


class ApiError(GraphQLError):
    """A refusal the caller can act on: ``extensions.code`` (stable) and ``extensions.reason`` (detail)."""

    def __init__(self, code: str, message: str, reason: str | None = None) -> None:
        extensions: dict[str, object] = {"code": code}
        if reason is not None:
            extensions["reason"] = reason
        super().__init__(message, extensions=extensions)
        self.code = code


def should_mask(error: GraphQLError) -> bool:
    """Mask resolver crashes; keep our own refusals and GraphQL's syntax/validation messages."""
    original = error.original_error
    return original is not None and not isinstance(original, ApiError)
