"""Who is calling: app token -> App, dashboard JWT -> staff User, otherwise anonymous (PROTOCOL §2,
§4; captures surprises 22 and 24)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import jwt

from .errors import ExpiredSignature, PermissionDenied
from .pricing import CheckoutPrices, price_checkout
from .principals import App, StaffUser

if TYPE_CHECKING:
    from .checkout import Checkout
    from .emulator import SaleorEmulator

Requestor = App | StaffUser | None


@dataclass
class PendingEvent:
    event_type: str
    subject: Any  # Checkout, Order or App
    principal: Requestor
    self_only: bool = False
    issued_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class RequestContext:
    emu: SaleorEmulator
    requestor: Requestor
    token_expired: bool = False
    events: list[PendingEvent] = field(default_factory=list)
    for_webhook: bool = False  # building a webhook body (Saleor prices those fully)
    _prices: dict[int, CheckoutPrices] = field(default_factory=dict, repr=False)

    @property
    def state(self) -> Any:
        return self.emu.state

    def checkout_prices(self, checkout: Checkout) -> CheckoutPrices:
        """Each checkout is priced once per request (mutations call `forget_prices` first)."""
        found = self._prices.get(id(checkout))
        if found is None:
            found = self._prices[id(checkout)] = price_checkout(checkout, zeroed=self._unpriced(checkout))
        return found

    def forget_prices(self) -> None:
        self._prices.clear()

    def _unpriced(self, checkout: Checkout) -> list[Any]:
        """Lines another request has just added with a custom price, still read as 0.00."""
        if self.for_webhook:
            return []
        moment = time.monotonic()
        return [
            line
            for line in checkout.lines
            if line.unpriced_until is not None
            and line.unpriced_for is not self
            and moment < line.unpriced_until
        ]

    def emit(self, event_type: str, subject: Any, *, self_only: bool = False) -> None:
        """Queue an event; the server sends it after the operation (never for failed mutations)."""
        self.events.append(PendingEvent(event_type, subject, self.requestor, self_only))


def resolve_requestor(emu: SaleorEmulator, authorization: str | None) -> tuple[Requestor, bool]:
    """Return (requestor, token_expired). Unknown or malformed tokens are anonymous, as on Saleor."""
    if not authorization:
        return None, False
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() not in ("bearer", "jwt") or not token:
        return None, False
    app = emu.state.app_by_token(token.strip())
    if app is not None:
        return app, False
    try:
        claims = jwt.decode(
            token, emu.key.private_key.public_key(), algorithms=["RS256"], options={"verify_aud": False}
        )
    except jwt.ExpiredSignatureError:
        return None, True
    except jwt.PyJWTError:
        return None, False
    if not claims.get("is_staff"):
        return None, False
    if claims.get("type") == "access" and claims.get("email") == emu.staff.email:
        return emu.staff, False  # the staff user's own login token: all of their permissions
    user = StaffUser(
        str(claims.get("user_id")),
        str(claims.get("email")),
        list(claims.get("permissions", [])),
        list(claims.get("user_permissions", [])),
    )
    return user, False


def has_any(ctx: RequestContext, permissions: list[str], owner: Any = None) -> bool:
    requestor = ctx.requestor
    for perm in permissions:
        if perm == "AUTHENTICATED_APP" and isinstance(requestor, App):
            return True
        if perm == "AUTHENTICATED_STAFF_USER" and isinstance(requestor, StaffUser):
            return True
        if perm == "OWNER" and owner is not None and owner is requestor:
            return True
        if requestor is not None and perm in requestor.permission_codes:
            return True
    return False


def require(ctx: RequestContext, permissions: list[str], message: str | None = None) -> None:
    if has_any(ctx, permissions):
        return
    if ctx.token_expired:
        raise ExpiredSignature()
    raise PermissionDenied(message, permissions=None if message else permissions)
