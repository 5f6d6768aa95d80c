"""Per-request context: the parts resolvers use (each named, built once by main.py), plus dashboard
authentication verified at most once.

Dashboard calls carry ``authorization-bearer: <dashboard JWT>`` and ``saleor-api-url`` (app-bridge's
``createAuthenticatedFetch``); the token is verified against that installation's JWKS, and everything
the request reads or writes is scoped to that installation. Storefront fields need neither header: the
checkout id is the capability, as in Saleor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request
from strawberry.fastapi import BaseContext

from ..bumps.storefront import Storefront
from ..installations.apl import InstallationStore
from ..kit.clock import Clock
from ..kit.db import Database
from ..kit.rate_limit import TokenBuckets
from ..placements.service import Placements
from ..postpurchase.shopper_actions import ShopperActions
from ..rules.cache import RuleIndexCache
from ..rules.gateway import VariantPricingCache
from ..saleor.apl import AuthData
from ..saleor.client import SaleorClient, SaleorClientFactory
from ..saleor.dashboard_token import StaffUser, verify_dashboard_token
from ..saleor.errors import ProtocolError
from ..saleor.jwks import KeySets
from .errors import PERMISSION_DENIED, UNAUTHENTICATED, ApiError
from .limits import ApiLimits

TOKEN_HEADER = "authorization-bearer"
API_URL_HEADER = "saleor-api-url"
# The one permission the dashboard's writes need (rules, channel settings, suggestions): offers are
# discounts, so whoever may change the shop's discounts in Saleor may change them here.
WRITE_PERMISSION = "MANAGE_DISCOUNTS"


@dataclass(frozen=True, slots=True)
class DashboardAuth:
    installation: AuthData
    user: StaffUser

    @property
    def installation_id(self) -> int:
        return self.installation.id


@dataclass(frozen=True, slots=True)
class ApiParts:
    """What the resolvers use, built once per process by main.py."""

    db: Database
    installations: InstallationStore
    keys: KeySets
    saleor: SaleorClientFactory
    catalogue: VariantPricingCache
    rules_cache: RuleIndexCache
    storefront: Storefront
    shopper_actions: ShopperActions
    placements: Placements
    clock: Clock
    limits: ApiLimits
    storefront_rate: TokenBuckets


class ApiContext(BaseContext):
    def __init__(
        self, parts: ApiParts, token: str | None, saleor_api_url: str | None, client_ip: str = ""
    ) -> None:
        super().__init__()
        self.limits = parts.limits
        self.storefront_rate = parts.storefront_rate
        self.client_ip = client_ip  # the peer, or X-Forwarded-For's when uvicorn trusts the proxy
        self.db = parts.db
        self.installations = parts.installations
        self.keys = parts.keys
        self.saleor = parts.saleor
        self.catalogue = parts.catalogue
        self.rules_cache = parts.rules_cache
        self.storefront = parts.storefront
        self.shopper_actions = parts.shopper_actions
        self.placements = parts.placements
        self.clock = parts.clock
        self._token = token
        self._saleor_api_url = saleor_api_url
        self._auth: DashboardAuth | ApiError | None = None

    async def dashboard(self, *, write: bool = False) -> DashboardAuth:
        """The verified staff user and their installation, or ApiError UNAUTHENTICATED / PERMISSION_DENIED.

        Reads need any staff user of the installation; writes also need ``MANAGE_DISCOUNTS`` among the
        user's permissions (``user_permissions`` in the token).
        """
        if self._auth is None:
            self._auth = await self._verify()
        if isinstance(self._auth, ApiError):
            raise self._auth
        if write and WRITE_PERMISSION not in self._auth.user.user_permissions:
            raise ApiError(
                PERMISSION_DENIED,
                f"You need the {WRITE_PERMISSION} permission to change upsell rules and settings.",
                reason="MISSING_PERMISSIONS",
            )
        return self._auth

    async def _verify(self) -> DashboardAuth | ApiError:
        if not self._token or not self._saleor_api_url:
            return ApiError(
                UNAUTHENTICATED,
                f"Send the dashboard token in `{TOKEN_HEADER}` and the Saleor API URL in `{API_URL_HEADER}`.",
                reason="MISSING_TOKEN",
            )
        installation = await self.installations.get(self._saleor_api_url)
        if installation is None:
            return ApiError(
                UNAUTHENTICATED, "The app is not installed in this Saleor.", reason="UNKNOWN_INSTALLATION"
            )
        try:
            user = await verify_dashboard_token(
                self._token,
                installation,
                required_permissions=(),
                now=self.clock(),
                refresh_jwks=self.keys.refresh,
                limiter=self.keys.limiter,
            )
        except ProtocolError as exc:
            code = UNAUTHENTICATED if exc.status == 401 else PERMISSION_DENIED
            return ApiError(code, exc.message, reason=exc.code)
        return DashboardAuth(installation, user)

    def client(self, auth: AuthData) -> SaleorClient:
        return self.saleor.for_auth(auth)


def context_getter(parts: ApiParts) -> Callable[[Request], Awaitable[ApiContext]]:
    """The FastAPI dependency building the GraphQL context of one request."""

    async def get_context(request: Request) -> ApiContext:
        return ApiContext(
            parts,
            request.headers.get(TOKEN_HEADER),
            request.headers.get(API_URL_HEADER),
            request.client.host if request.client else "",
        )

    return get_context
