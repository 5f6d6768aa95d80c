"""Why an offer link cannot be used right now: each reason carries the HTTP status and polite wording."""

from __future__ import annotations

from typing import Any

from ..kit.errors import AppError


class OfferError(AppError):
    status = 400
    code = "invalid"
    title = "This offer link is not valid"
    shopper_message = "Please use the link from your order confirmation."

    def __init__(self, detail: str = "", *, outcome: dict[str, Any] | None = None) -> None:
        super().__init__(detail or self.code)
        self.outcome = outcome or {}


class OfferNotFound(OfferError):
    """Forged, tampered, or the offer no longer exists (uninstalled): indistinguishable on purpose."""

    status = 404
    code = "not_found"


class OfferExpired(OfferError):
    status = 410
    code = "expired"
    title = "This offer has ended"
    shopper_message = (
        "Thank you for your interest. The time to add this item has passed, and your order is unchanged."
    )


class OfferAlreadyAnswered(OfferError):
    status = 410
    code = "used"
    title = "This offer was already answered"
    shopper_message = "You already responded to this offer, so nothing was changed this time."

    def __init__(
        self, detail: str = "", *, outcome: dict[str, Any] | None = None, checkout_url: str | None = None
    ) -> None:
        super().__init__(detail, outcome=outcome)
        # Accepted into a follow-up checkout not paid yet: where the shopper can still pay for it.
        self.checkout_url = checkout_url


class OfferInProgress(OfferError):
    status = 409
    code = "in_progress"
    title = "We are still adding this item"
    shopper_message = "Your earlier click is being processed. Please reload this page in a few seconds."


class OfferTryAgain(OfferError):
    """Saleor was unreachable or answered 5xx: the offer went back to open, nothing is lost."""

    status = 503
    code = "try_again"
    title = "Please try again in a moment"
    shopper_message = (
        "The shop did not answer in time. Your offer is still open; nothing was charged or changed."
    )


class OfferFailed(OfferError):
    status = 409
    code = "failed"
    title = "We could not add this item"
    shopper_message = "Sorry, this item could not be added to your order. Nothing was charged or changed."
