"""Part 5 of the captures: the app swaps the shopper's tee for a premium one (delete + custom-priced add
naming the replaced line), then the shopper deletes the premium line. Saleor restores nothing, and the
CHECKOUT_UPDATED the app gets is a plain one (principal null, the remaining lines only): what the app
must diff against to restore the shopper's original line."""

from __future__ import annotations

from testing.saleor_emulator.emulator import SaleorEmulator
from testing.saleor_emulator.install import InstalledApp

from .fake_app import FakeApp
from .replay import IdMap, assert_webhook, replay


async def test_shopper_deletes_the_upgraded_line(
    emu: SaleorEmulator, capture_app: FakeApp, capture_installed: InstalledApp
) -> None:
    ids, token = IdMap(), capture_installed.token
    await replay(emu, ids, "graphql-shopper-checkoutCreate-upgrade-swap.json")
    await replay(
        emu, ids, "graphql-app-checkoutLinesDelete-upgrade-swap-remove-shopper-line.json", token=token
    )
    await emu.drain()
    assert_webhook(
        capture_app,
        "checkout_updated",
        ids,
        "webhook-checkout-updated-by-app-upgrade-swap-remove-shopper-line.json",
    )
    await replay(emu, ids, "graphql-app-checkoutLinesAdd-upgrade-swap-add-premium.json", token=token)
    await emu.drain()
    assert_webhook(
        capture_app, "checkout_updated", ids, "webhook-checkout-updated-by-app-upgrade-swap-add-premium.json"
    )
    await replay(emu, ids, "graphql-shopper-checkoutLinesDelete-upgraded-line.json")
    await emu.drain()
    body = assert_webhook(
        capture_app,
        "checkout_updated",
        ids,
        "webhook-checkout-updated-by-shopper-lines-delete-upgraded-line.json",
    )
    assert body["issuingPrincipal"] is None
    assert len(capture_app.events("checkout_updated")) == 3  # one per mutation, nothing else
