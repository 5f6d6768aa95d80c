"""ORDER_CREATED: keep the order history current, attribute converted bumps, make a post-purchase offer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from decimal import Decimal

from ..inbox.repository import ClaimedEvent
from ..offers import metadata as md
from ..postpurchase.make import make_post_purchase_offer
from ..services import Services
from ..store.events import NewEvent
from ..store.installations import InstallationData
from ..store.orders import CompactOrder, compact_order_from_payload

log = logging.getLogger("saleor_upsell.webhooks.order_created")

OrderStep = Callable[[Services, InstallationData, ClaimedEvent, CompactOrder], Awaitable[None]]


async def record_history(
    services: Services, installation: InstallationData, event: ClaimedEvent, order: CompactOrder
) -> None:
    await services.orders.upsert_many(installation.id, [order])


async def record_conversions(
    services: Services, installation: InstallationData, event: ClaimedEvent, order: CompactOrder
) -> None:
    """Bump and upgrade lines carry the app's metadata into the order: that is a converted offer."""
    if await services.events.order_has(installation.id, order.order_id, ("converted",)):
        return  # a redelivery of the same order
    converted: list[NewEvent] = []
    for line in event.payload["order"].get("lines") or ():
        marker = md.read_marker({m["key"]: m["value"] for m in line.get("metadata") or ()})
        if marker is None:
            continue
        gross = line["unitPrice"]["gross"]
        converted.append(
            NewEvent(
                kind="converted",
                offer_type=marker.kind,
                rule_id=int(marker.rule_id) if marker.rule_id.isdigit() else None,
                checkout_id=order.checkout_id,
                order_id=order.order_id,
                channel_slug=order.channel_slug,
                variant_id=(line.get("variant") or {}).get("id"),
                amount=Decimal(str(gross["amount"])) * int(line["quantity"]),
                currency=str(gross["currency"]),
            )
        )
    if converted:
        await services.events.record(installation.id, converted, services.clock())


ORDER_STEPS: list[OrderStep] = [record_history, record_conversions, make_post_purchase_offer]


async def handle_order_created(services: Services, event: ClaimedEvent) -> None:
    installation = await services.installations.get_by_id(event.installation_id)
    if installation is None or not event.payload.get("order"):
        return
    order = compact_order_from_payload(event.payload["order"])
    for step in ORDER_STEPS:
        await step(services, installation, event, order)
