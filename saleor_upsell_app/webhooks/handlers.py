"""Which use case handles which inbox event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from ..inbox.repository import ClaimedEvent
from ..services import Services
from .app_deleted import handle_app_deleted
from .checkout import handle_checkout_event
from .order_created import handle_order_created

UseCase = Callable[[Services, ClaimedEvent], Awaitable[None]]

USE_CASES: dict[str, UseCase] = {
    "CHECKOUT_CREATED": handle_checkout_event,
    "CHECKOUT_UPDATED": handle_checkout_event,
    "ORDER_CREATED": handle_order_created,
    "APP_DELETED": handle_app_deleted,
}


def build_handlers(services: Services) -> dict[str, Callable[[ClaimedEvent], Awaitable[None]]]:
    return {event: partial(use_case, services) for event, use_case in USE_CASES.items()}
