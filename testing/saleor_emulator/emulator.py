"""SaleorEmulator: a test double that plays Saleor 3.23.28 over real HTTP (see README.md)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any

import httpx

from .auth import Requestor
from .checkout import Checkout
from .delivery import SALEOR_BACKOFF, SALEOR_TIMEOUT, Deliverer, Delivery, WebhookRequest, webhook_headers
from .install import InstalledApp, InstallError, install_app
from .keys import SigningKey, dashboard_token_claims
from .payloads import build_body, required_permission
from .principals import PERMISSION_NAMES, App, StaffUser, Webhook
from .seed import default_state
from .serve import serve_asgi
from .server import Failure, GraphQLCall, build_app
from .state import State
from .tax_ops import configure
from .taxes import TaxSettings
from .voucher_ops import VoucherSpec, add_voucher, set_listings
from .vouchers import ENTIRE_ORDER, PERCENTAGE, Voucher

ADMIN_ID = "VXNlcjoyMQ=="  # User:21, admin@example.com in the captures


class SaleorEmulator:
    """`async with SaleorEmulator() as emu:` serves the emulator on a free loopback port."""

    def __init__(
        self,
        state: State | None = None,
        *,
        retry_delays: Sequence[float] = SALEOR_BACKOFF,
        webhook_timeout: httpx.Timeout = SALEOR_TIMEOUT,
        legacy_update_webhook_emission: bool = True,
        host: str = "127.0.0.1",
        port: int | None = None,
        transient_zero_price: float = 0.0,
    ) -> None:
        self.state = state or default_state()
        # Seconds during which a line just added with a custom price reads 0.00 to other requests
        # (PROTOCOL "Money facts": Saleor stores the line before pricing it). 0 turns it off.
        self.transient_zero_price = transient_zero_price
        self.key = SigningKey()
        self.host = host
        self.port = port  # None: a free port
        self.legacy_update_webhook_emission = legacy_update_webhook_emission
        self.deliverer = Deliverer(retry_delays, webhook_timeout)
        all_perms = sorted(PERMISSION_NAMES)
        self.staff = StaffUser(ADMIN_ID, "admin@example.com", all_perms, all_perms)
        self.failure: Failure | None = None
        self.graphql_calls: list[GraphQLCall] = []
        self.origin = ""
        self.api_url = ""
        self.asgi_app = build_app(self)
        self._http: httpx.AsyncClient | None = None
        self._stack: contextlib.AsyncExitStack | None = None

    # -- lifecycle --------------------------------------------------------------------------------
    async def __aenter__(self) -> SaleorEmulator:
        stack = contextlib.AsyncExitStack()
        self.origin = await stack.enter_async_context(
            serve_asgi(self.asgi_app, host=self.host, port=self.port)
        )
        self.api_url = f"{self.origin}/graphql/"
        self._stack = stack
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.deliverer.aclose()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None

    @property
    def http(self) -> httpx.AsyncClient:
        """Saleor's outgoing client: never follows redirects."""
        if self._http is None:
            self._http = httpx.AsyncClient(follow_redirects=False, timeout=SALEOR_TIMEOUT)
        return self._http

    @property
    def jwks_url(self) -> str:
        return f"{self.origin}/.well-known/jwks.json"

    @property
    def deliveries(self) -> list[Delivery]:
        return self.deliverer.deliveries

    def deliveries_for(self, event_type: str | None = None, app_id: str | None = None) -> list[Delivery]:
        return [
            d
            for d in self.deliveries
            if (event_type is None or d.event_type == event_type) and (app_id is None or d.app_id == app_id)
        ]

    async def drain(self) -> None:
        """Wait until every scheduled webhook delivery (including retries) has finished."""
        await self.deliverer.drain()

    # -- keys and tokens --------------------------------------------------------------------------
    def rotate_key(self) -> SigningKey:
        """Replace the signing key; the JWKS then serves only the new one."""
        self.key = SigningKey()
        return self.key

    def dashboard_token(
        self,
        app_id: str,
        *,
        permissions: Sequence[str],
        user_permissions: Sequence[str] | None = None,
        email: str = "admin@example.com",
        ttl: int = 300,
        issued_at: int | datetime | None = None,
        key: SigningKey | None = None,
        iss: str | None = None,
    ) -> str:
        """`app(id) { accessToken }` as the dashboard gets it (captures/dashboard-app-token.json)."""
        if isinstance(issued_at, datetime):
            issued_at = int(issued_at.timestamp())
        claims = dashboard_token_claims(
            api_url=iss if iss is not None else self.api_url,
            app_id=app_id,
            permissions=list(permissions),
            user_permissions=list(
                user_permissions if user_permissions is not None else self.staff.user_permissions
            ),
            email=email,
            user_id=self.staff.id if email == self.staff.email else ADMIN_ID,
            ttl=ttl,
            issued_at=issued_at,
            token_key="1HfPGSS5Nbq1",
        )
        return (key or self.key).encode_jwt(claims)

    def staff_token(self, *, ttl: int = 300, key: SigningKey | None = None) -> str:
        """The superuser's own access token (tokenCreate): a staff user with every permission, as the
        captures' staff mutations (voucherCreate, taxConfigurationUpdate, ...) used."""
        iat = int(datetime.now(UTC).timestamp())
        claims = {
            "iat": iat,
            "owner": "saleor",
            "iss": self.api_url,
            "exp": iat + ttl,
            "token": "1HfPGSS5Nbq1",
            "email": self.staff.email,
            "type": "access",
            "user_id": self.staff.id,
            "is_staff": True,
        }
        return (key or self.key).encode_jwt(claims)

    # -- discounts and taxes ----------------------------------------------------------------------
    def create_voucher(
        self,
        code: str,
        *,
        type: str = ENTIRE_ORDER,
        value_type: str = PERCENTAGE,
        values: Mapping[str, Decimal | int | str] | None = None,
        name: str | None = None,
        variants: Sequence[str] = (),
        products: Sequence[str] = (),
        collections: Sequence[str] = (),
        categories: Sequence[str] = (),
        apply_once_per_order: bool = False,
        min_spent: Mapping[str, Decimal | int | str] | None = None,
        min_quantity: int | None = None,
    ) -> Voucher:
        """What voucherCreate + voucherChannelListingUpdate make: `values` maps channel slugs to the
        discount (percent or amount; default 10 in default-channel); catalogue items by global id."""
        state = self.state
        spec = VoucherSpec(
            codes=[code],
            type=type,
            discount_value_type=value_type,
            name=name,
            variants=[self._node(state, gid, "ProductVariant") for gid in variants],
            products=[self._node(state, gid, "Product") for gid in products],
            collections=[self._node(state, gid, "Collection") for gid in collections],
            categories=[self._node(state, gid, "Category") for gid in categories],
            apply_once_per_order=apply_once_per_order,
            min_checkout_items_quantity=min_quantity,
        )
        voucher = add_voucher(state, spec)
        minimums = min_spent or {}
        listings = {
            slug: (Decimal(str(value)), Decimal(str(minimums[slug])) if slug in minimums else None)
            for slug, value in (values if values is not None else {"default-channel": 10}).items()
        }
        set_listings(state, voucher, listings)
        return voucher

    @staticmethod
    def _node(state: State, global_id: str, type_name: str) -> Any:
        node = state.node(global_id)
        if node is None or node.graphql_type != type_name:
            raise KeyError(global_id)
        return node

    def configure_taxes(self, channel: str = "default-channel", **settings: Any) -> TaxSettings:
        """taxConfigurationUpdate for `channel`: keyword arguments are TaxConfigurationUpdateInput's
        fields (chargeTaxes, pricesEnteredWithTax, displayGrossPrices, taxCalculationStrategy,
        updateCountriesConfiguration, removeCountriesConfiguration)."""
        tax = self.state.channels[channel].tax
        configure(tax, settings)
        return tax

    def set_tax_rate(self, country: str, rate: Decimal | int | str | None) -> None:
        """taxCountryConfigurationUpdate without a tax class: `country`'s default flat rate in percent;
        None removes it (taxCountryConfigurationDelete)."""
        if rate is None:
            self.state.tax_rates.pop(country, None)
        else:
            self.state.tax_rates[country] = Decimal(str(rate))

    # -- apps -------------------------------------------------------------------------------------
    async def install_app(
        self, manifest_url: str, permissions: Sequence[str] | None = None, *, activate: bool = True
    ) -> InstalledApp:
        """Saleor's appInstall: raises InstallError (with the app's reply body) on failure."""
        return await install_app(
            self, manifest_url, list(permissions) if permissions is not None else None, activate=activate
        )

    def delete_app(self, app_id: str, *, by: Requestor | None = None) -> None:
        """Soft delete; APP_DELETED goes only to the deleted app, with isActive already false and the
        staff user as issuer (webhook-app-deleted.json)."""
        app = self.state.app(app_id)
        if app is None:
            raise KeyError(app_id)
        app.is_active, app.removed = False, True
        self.send_event("APP_DELETED", app, principal=by if by is not None else self.staff, self_only=True)

    def app(self, app_id: str) -> App:
        app = self.state.app(app_id)
        if app is None:
            raise KeyError(app_id)
        return app

    # -- webhooks ---------------------------------------------------------------------------------
    def _recipients(self, event_type: str, subject: Any, self_only: bool) -> list[Webhook]:
        if self_only:
            apps = [subject] if isinstance(subject, App) else []
        else:
            needed = required_permission(event_type)
            apps = [
                a
                for a in self.state.apps.values()
                if a.is_active and (needed is None or needed in a.permission_codes)
            ]
        return [w for a in apps for w in a.webhook_list if w.is_active and event_type in w.async_events]

    def send_event(
        self,
        event_type: str,
        subject: Any,
        *,
        principal: Requestor,
        self_only: bool = False,
        issued_at: datetime | None = None,
    ) -> None:
        """Build each recipient's body now (a snapshot) and deliver it in the background."""
        moment = issued_at or datetime.now(UTC)
        for hook in self._recipients(event_type, subject, self_only):
            body = build_body(self, hook.query, event_type, subject, principal, hook.app, moment)
            self.deliverer.schedule(self._request_factory(event_type, hook, body))

    def _request_factory(self, event_type: str, hook: Webhook, body: bytes) -> Any:
        def make() -> WebhookRequest:
            return self.sign_request(
                event_type, hook.target_url, body, app_id=hook.app.id, custom_headers=hook.custom_headers
            )

        return make

    def sign_request(
        self,
        event_type: str,
        url: str,
        body: bytes,
        *,
        app_id: str | None = None,
        signed: bool = True,
        custom_headers: dict[str, str] | None = None,
    ) -> WebhookRequest:
        signature = self.key.sign_detached(body) if signed else None
        headers = webhook_headers(event_type, url, self.api_url, signature, custom_headers)
        return WebhookRequest(event_type, url, headers, body, app_id)

    def build_webhook_request(
        self,
        event_type: str,
        payload: Any = None,
        *,
        subject: Any = None,
        app: App | str | None = None,
        principal: Requestor = None,
        signed: bool = True,
    ) -> WebhookRequest:
        """A signed request as Saleor would send it, for tests that tamper with or replay it.
        Either `payload` (any JSON value, serialised with json.dumps) or `subject` (a Checkout/Order/App,
        rendered through the app's own subscription query)."""
        target = self.state.app(app) if isinstance(app, str) else app
        hooks = [
            w
            for a in self.state.apps.values()
            for w in a.webhook_list
            if event_type in w.async_events and (target is None or a is target)
        ]
        if not hooks:
            raise LookupError(f"no installed webhook subscribes to {event_type}")
        hook = hooks[0]
        if payload is not None:
            body = json.dumps(payload).encode()
        else:
            body = build_body(self, hook.query, event_type, subject, principal, hook.app, datetime.now(UTC))
        return self.sign_request(
            event_type,
            hook.target_url,
            body,
            app_id=hook.app.id,
            signed=signed,
            custom_headers=hook.custom_headers,
        )

    async def send_webhook_request(self, request: WebhookRequest) -> Delivery:
        """Deliver once, no retries (recorded like any other attempt)."""
        return await self.deliverer.send_once(request)

    async def deliver_webhook_request(self, request: WebhookRequest) -> None:
        """Deliver with Saleor's retry policy (connection errors, timeouts, 5xx), and wait."""
        await self.deliverer.send_with_retries(request)

    async def redeliver(self, delivery: Delivery) -> Delivery:
        """Send an already delivered body again (Saleor may deliver duplicates)."""
        request = WebhookRequest(
            delivery.event_type, delivery.target_url, dict(delivery.headers), delivery.body, delivery.app_id
        )
        return await self.deliverer.send_once(request)

    # -- failure injection and state helpers ------------------------------------------------------
    def fail_graphql(
        self,
        times: int | None = 1,
        *,
        status: int | None = 503,
        delay: float = 0.0,
        body: Any = None,
        reset: bool = False,
        after: bool = False,
        only: str | None = None,
    ) -> None:
        """The next `times` GraphQL requests (None: all, until clear_failures) answer `status`, after
        `delay` seconds; status=None with a delay makes them merely slow (to trip client timeouts).
        `body` is the failing answer's JSON, `reset` drops the connection instead, `after` runs the
        request before failing (it lands; its answer is lost), `only` picks requests by query text."""
        self.failure = Failure(
            status=status, delay=delay, remaining=times, body=body, reset=reset, after=after, only=only
        )

    def clear_failures(self) -> None:
        self.failure = None

    def checkout(self, checkout_id: str) -> Checkout:
        checkout = self.state.checkout(checkout_id)
        if checkout is None:
            raise KeyError(checkout_id)
        return checkout

    def delete_checkout(self, checkout_id: str) -> None:
        """Simulate a checkout that no longer exists (completed elsewhere or expired)."""
        checkout = self.checkout(checkout_id)
        del self.state.checkouts[checkout.token]

    def start_payment(self, checkout_id: str, *, charge: bool = True) -> None:
        """The shopper pays: the checkout becomes fully charged (or authorized) for its current total,
        as a transaction would make it; fires CHECKOUT_FULLY_PAID / CHECKOUT_FULLY_AUTHORIZED."""
        checkout = self.checkout(checkout_id)
        checkout.authorize_status = "FULL"
        event = "CHECKOUT_FULLY_AUTHORIZED"
        if charge:
            checkout.charge_status = "FULL"
            event = "CHECKOUT_FULLY_PAID"
        self.send_event(event, checkout, principal=None)

    # -- talking to ourselves over HTTP -----------------------------------------------------------
    async def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
    ) -> dict[str, Any]:
        """POST to our own /graphql/ (so events fire exactly as for a real client)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            self.api_url, json={"query": query, "variables": variables or {}}, headers=headers
        )
        result: dict[str, Any] = response.json()
        return result

    @property
    def shopper(self) -> Any:
        from .shopper import Shopper

        return Shopper(self)


__all__ = ["InstallError", "InstalledApp", "SaleorEmulator"]
