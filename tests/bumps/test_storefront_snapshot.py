"""checkoutOffers answered from the checkout's last webhook snapshot (bumps/storefront_reads.py): no
Saleor read while it is fresh and newer than the app's own changes; past the bound, Saleor is read."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from saleor_upsell_app.bumps.claims import ClaimStatus, OfferClaim
from saleor_upsell_app.bumps.gateway import CheckoutState
from saleor_upsell_app.bumps.storefront_reads import Snapshot, snapshot_usable
from saleor_upsell_app.engine.types import CheckoutSnapshot
from saleor_upsell_app.kit.clock import utc_now
from testing.saleor_emulator.emulator import SaleorEmulator
from testing.sample_data import TEE_S
from tests.api.client import Api
from tests.bumps.helpers import add_rule, set_channel
from tests.bumps.test_storefront import ACCEPT, OFFERS


class Clock:
    def __init__(self) -> None:
        self.ahead = timedelta(0)

    def __call__(self) -> datetime:
        return utc_now() + self.ahead


@pytest.fixture
async def clocked(
    app_factory: Callable[..., Any], emulator: SaleorEmulator
) -> AsyncIterator[tuple[Api, Clock]]:
    clock = Clock()
    async with app_factory(clock=clock, storefront_snapshot_seconds=30) as app:
        yield Api(app, emulator, await emulator.install_app(app.manifest_url)), clock


def saleor_reads(api: Api) -> int:
    token = f"Bearer {api.installed.token}"
    return sum(1 for call in api.emulator.graphql_calls if call.authorization == token)


async def offers(api: Api, checkout_id: str) -> list[dict[str, Any]]:
    body = await api.storefront(OFFERS, {"checkoutId": checkout_id})
    assert "errors" not in body, body
    listed: list[dict[str, Any]] = body["data"]["checkoutOffers"]["offers"]
    return listed


async def test_a_fresh_snapshot_answers_and_a_late_change_shows_once_it_is_too_old(
    clocked: tuple[Api, Clock],
) -> None:
    api, clock = clocked
    app, emulator = api.app, api.emulator
    await set_channel(app, mode="offer")
    await add_rule(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)

    before = saleor_reads(api)
    assert len(await offers(api, checkout["id"])) == 1
    assert saleor_reads(api) == before  # the CHECKOUT_CREATED snapshot answered

    # The shopper empties the checkout; Saleor's webhook is late (held back here).
    held: list[Any] = []
    scheduled = emulator.deliverer.schedule
    emulator.deliverer.schedule = held.append  # type: ignore[method-assign]
    [line] = (await emulator.shopper.checkout(checkout["id"]))["lines"]
    await emulator.shopper.remove_lines(checkout["id"], [line["id"]])
    assert held
    assert len(await offers(api, checkout["id"])) == 1  # within the bound: the last snapshot Saleor sent

    clock.ahead = timedelta(seconds=31)  # past the bound: Saleor is asked, and the change shows
    before = saleor_reads(api)
    assert await offers(api, checkout["id"]) == []
    assert saleor_reads(api) == before + 1

    emulator.deliverer.schedule = scheduled  # type: ignore[method-assign]
    for make_request in held:
        scheduled(make_request)
    await app.wait_idle(emulator)
    clock.ahead = timedelta(0)  # the late webhook arrives within the bound of its change
    before = saleor_reads(api)
    assert await offers(api, checkout["id"]) == []  # and its snapshot answers
    assert saleor_reads(api) == before


async def test_after_the_apps_own_change_saleor_is_read_until_a_newer_snapshot_arrives(
    clocked: tuple[Api, Clock],
) -> None:
    api, _ = clocked
    app, emulator = api.app, api.emulator
    await set_channel(app, mode="offer")
    rule_id = await add_rule(app)
    checkout = await emulator.shopper.create_checkout([(TEE_S, 1)])
    await app.wait_idle(emulator)
    held: list[Any] = []
    emulator.deliverer.schedule = held.append  # type: ignore[method-assign]  # no echo arrives
    accepted = await api.storefront(ACCEPT, {"checkoutId": checkout["id"], "ruleId": str(rule_id)})
    assert accepted["data"]["acceptCheckoutOffer"]["errors"] == []

    before = saleor_reads(api)
    assert await offers(api, checkout["id"]) == []  # the accepted offer is not listed again
    assert saleor_reads(api) == before + 1  # the snapshot predates the app's own line


# -- snapshot_usable, on its own ---------------------------------------------------------------------

T0 = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _snapshot(updated_at: datetime | None, received_at: datetime) -> Snapshot:
    checkout = CheckoutSnapshot(
        id="c", channel_slug="default-channel", currency="USD", lines=(), subtotal=Decimal(0)
    )
    return Snapshot(CheckoutState(checkout, updated_at, {}), received_at)


def _claim(status: str, updated_at: datetime, saleor_updated_at: datetime | None = None) -> OfferClaim:
    return OfferClaim(
        id=1,
        rule_id=1,
        kind="bump",
        status=status,
        line_id=None,
        variant_id="v",
        unit_price=Decimal("1"),
        currency="USD",
        saleor_updated_at=saleor_updated_at,
        updated_at=updated_at,
    )


def test_a_snapshot_answers_only_when_newer_than_the_apps_own_changes() -> None:
    second = timedelta(seconds=1)
    snapshot = _snapshot(T0, received_at=T0 + second)
    assert snapshot_usable(snapshot, [])
    assert snapshot_usable(snapshot, [_claim(ClaimStatus.DECLINED, T0)])
    assert not snapshot_usable(snapshot, [_claim(ClaimStatus.CLAIMED, T0)])  # a mutation under way
    assert not snapshot_usable(snapshot, [_claim(ClaimStatus.RESTORING, T0)])
    assert not snapshot_usable(snapshot, [_claim(ClaimStatus.DECLINED, T0 + 2 * second)])  # moved since
    applied_before = _claim(ClaimStatus.APPLIED, T0, saleor_updated_at=T0 - second)
    applied_after = _claim(ClaimStatus.APPLIED, T0, saleor_updated_at=T0 + second)
    assert snapshot_usable(snapshot, [applied_before])
    assert not snapshot_usable(snapshot, [applied_after])  # Saleor's updatedAt after our own write
    assert not snapshot_usable(_snapshot(None, T0 + second), [applied_before])
