"""Errors the API shows to its callers; everything else is masked as "Unexpected error."."""

from __future__ import annotations

import logging

import strawberry
from strawberry.types import ExecutionContext

from graphql import GraphQLError

log = logging.getLogger("saleor_upsell.api")

# Top-level error codes (extensions.code). Payload errors use the ErrorCode enum in types.py instead.
UNAUTHENTICATED = "UNAUTHENTICATED"
PERMISSION_DENIED = "PERMISSION_DENIED"
NOT_FOUND = "NOT_FOUND"
SALEOR_UNAVAILABLE = "SALEOR_UNAVAILABLE"


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


def log_errors(errors: list[GraphQLError]) -> None:
    """One log line per error. A refusal (ApiError) or a bad query is expected: INFO, no stack. Only a
    resolver crash is an ERROR with its traceback (the caller sees it masked)."""
    for error in errors:
        original = error.original_error
        where = ".".join(str(part) for part in error.path or ()) or None
        if original is None or isinstance(original, ApiError):
            extensions = error.extensions or {}
            log.info(
                "graphql request refused" if original is not None else "graphql request invalid",
                extra={
                    "code": extensions.get("code", "GRAPHQL_VALIDATION_FAILED"),
                    "reason": extensions.get("reason"),
                    "path": where,
                    "error": error.message,
                },
            )
        else:
            log.error("graphql resolver failed", exc_info=original, extra={"path": where})


class AppSchema(strawberry.Schema):
    """The schema, logging its errors through the app's logs (JSON with LOG_JSON) instead of strawberry's
    logger, which writes every refusal as an ERROR with a multi-line stack."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors)
