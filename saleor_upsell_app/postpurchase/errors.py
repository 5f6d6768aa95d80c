"""Why an offer link cannot be used right now: each reason carries the HTTP status and polite wording."""

from __future__ import annotations

from typing import Any


class OfferError(Exception):
    status_code = 400
    code = "invalid"
    title = "This offer link is not valid"
    message = "Please use the link from your order confirmation."

    def __init__(self, detail: str = "", *, outcome: dict[str, Any] | None = None) -> None:
        super().__init__(detail or self.code)
        self.outcome = outcome or {}


class OfferMalformed(OfferError):
    """Not even shaped like one of our tokens."""


class OfferNotFound(OfferError):
    """Forged, tampered, or the offer no longer exists (uninstalled): indistinguishable on purpose."""

    status_code = 404
    code = "not_found"


class OfferExpired(OfferError):
    status_code = 410
    code = "expired"
    title = "This offer has ended"
    message = (
        "Thank you for your interest. The time to add this item has passed, and your order is unchanged."
    )


class OfferAlreadyAnswered(OfferError):
    status_code = 410
    code = "used"
    title = "This offer was already answered"
    message = "You already responded to this offer, so nothing was changed this time."


class OfferInProgress(OfferError):
    status_code = 409
    code = "in_progress"
    title = "We are still adding this item"
    message = "Your earlier click is being processed. Please reload this page in a few seconds."


class OfferTryAgain(OfferError):
    """Saleor was unreachable or answered 5xx: the offer went back to open, nothing is lost."""

    status_code = 503
    code = "try_again"
    title = "Please try again in a moment"
    message = "The shop did not answer in time. Your offer is still open; nothing was charged or changed."


class OfferFailed(OfferError):
    status_code = 409
    code = "failed"
    title = "We could not add this item"
    message = "Sorry, this item could not be added to your order. Nothing was charged or changed."
