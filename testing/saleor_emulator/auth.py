"""Who is calling: app token -> App, dashboard JWT -> staff User, otherwise anonymous (PROTOCOL §2,
§4; captures surprises 22 and 24)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import jwt

from .errors import ExpiredSignature, PermissionDenied
from .principals import App, StaffUser

if TYPE_CHECKING:
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

    @property
    def state(self) -> Any:
        return self.emu.state

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
