"""GraphQL resolvers of rules, channel settings, rule preview, catalogue search and names (staff token).

Reads need any staff user of the installation, writes ``MANAGE_DISCOUNTS`` (ApiContext.dashboard). Bad
input never raises: mutations answer ``errors``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON
from strawberry.types import Info

from ..api import conversions as convert
from ..api import types as t
from ..api.context import ApiContext, DashboardAuth
from ..api.errors import SALEOR_UNAVAILABLE, ApiError
from ..engine.consent import default_channel_settings
from ..engine.spec import ChannelSettingsSpec
from ..insights.suggestions.gateway import item_names
from ..saleor.errors import SaleorApiError
from ..saleor.results import PricedVariant, SearchProduct, TaxedMoney
from . import gateway, service
from .preview import preview_rule
from .service import InvalidRule
from .stored import StoredRule

log = logging.getLogger("saleor_upsell.api.rules")

MAX_RESULTS = 100  # Saleor's limit for `first`
Ctx = Info[ApiContext, None]
Change = Callable[[AsyncSession, int, int, datetime], Awaitable[StoredRule | None]]


def _rule_id(value: strawberry.ID) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _not_found(rule_id: strawberry.ID) -> list[t.UpsellError]:
    return convert.error(t.ErrorCode.NOT_FOUND, f"No rule {rule_id} in this shop.", "id")


def _payload(stored: StoredRule | None, id: strawberry.ID) -> t.RulePayload:
    if stored is None:
        return t.RulePayload(rule=None, errors=_not_found(id))
    return t.RulePayload(rule=convert.rule(stored), errors=[])


# ------------------------------------------------------------------------------------------------ rules


async def rules(info: Ctx, filter: t.RuleFilterInput | None = None) -> list[t.Rule]:
    auth = await info.context.dashboard()
    wanted = filter or t.RuleFilterInput()
    kinds = tuple(kind.value for kind in wanted.kinds) if wanted.kinds else None
    async with info.context.db.read() as session:
        stored = await service.list_rules(
            session,
            auth.installation_id,
            kinds=kinds,
            enabled=wanted.enabled,
            channel=wanted.channel,
            search=wanted.search,
        )
    return [convert.rule(r) for r in stored]


async def rule(info: Ctx, id: strawberry.ID) -> t.Rule | None:
    auth = await info.context.dashboard()
    rule_id = _rule_id(id)
    if rule_id is None:
        return None
    async with info.context.db.read() as session:
        stored = await service.get_rule(session, auth.installation_id, rule_id)
    return convert.rule(stored) if stored else None


async def rule_create(
    info: Ctx,
    spec: Annotated[
        JSON, strawberry.argument(description="The rule in the rule file format; `kind` is required.")
    ],
) -> t.RulePayload:
    auth = await info.context.dashboard(write=True)
    try:
        async with info.context.db.transaction() as session:
            stored = await service.create_rule(session, auth.installation_id, spec, info.context.clock())
    except InvalidRule as exc:
        return t.RulePayload(rule=None, errors=convert.upsell_errors(exc.errors))
    return t.RulePayload(rule=convert.rule(stored), errors=[])


async def _change(info: Ctx, id: strawberry.ID, change: Change) -> t.RulePayload:
    """A write to one existing rule: NOT_FOUND for an unknown id, the validation errors for bad input."""
    auth = await info.context.dashboard(write=True)
    rule_id = _rule_id(id)
    if rule_id is None:
        return t.RulePayload(rule=None, errors=_not_found(id))
    try:
        async with info.context.db.transaction() as session:
            stored = await change(session, auth.installation_id, rule_id, info.context.clock())
    except InvalidRule as exc:
        return t.RulePayload(rule=None, errors=convert.upsell_errors(exc.errors))
    return _payload(stored, id)


async def rule_update(
    info: Ctx,
    id: strawberry.ID,
    spec: Annotated[JSON, strawberry.argument(description="The whole new definition (not a patch).")],
) -> t.RulePayload:
    return await _change(
        info, id, lambda session, own, rule_id, now: service.update_rule(session, own, rule_id, spec, now)
    )


async def rule_set_enabled(info: Ctx, id: strawberry.ID, enabled: bool) -> t.RulePayload:
    return await _change(
        info, id, lambda session, own, rule_id, now: service.set_enabled(session, own, rule_id, enabled, now)
    )


async def rule_variant_promote(info: Ctx, id: strawberry.ID, variant: str) -> t.RulePayload:
    return await _change(
        info,
        id,
        lambda session, own, rule_id, now: service.promote_variant(session, own, rule_id, variant, now),
    )


async def rule_delete(info: Ctx, id: strawberry.ID) -> t.RuleDeletePayload:
    auth = await info.context.dashboard(write=True)
    rule_id = _rule_id(id)
    deleted = False
    if rule_id is not None:
        async with info.context.db.transaction() as session:
            deleted = await service.delete_rule(session, auth.installation_id, rule_id)
    if not deleted:
        return t.RuleDeletePayload(deleted_id=None, errors=_not_found(id))
    return t.RuleDeletePayload(deleted_id=id, errors=[])


# ------------------------------------------------------------------------------------------------ channels


async def _saleor_channels(info: Ctx, auth: DashboardAuth) -> list[t.SaleorChannel]:
    return [
        t.SaleorChannel(slug=c.slug, name=c.name, currency_code=c.currency_code, is_active=c.is_active)
        for c in await gateway.channels(info.context.client(auth.installation))
    ]


async def channels(info: Ctx) -> list[t.SaleorChannel]:
    auth = await info.context.dashboard()
    try:
        return await _saleor_channels(info, auth)
    except SaleorApiError as exc:
        raise ApiError(SALEOR_UNAVAILABLE, f"Saleor did not list its channels: {exc}") from exc


async def _channel_currencies(info: Ctx, auth: DashboardAuth) -> dict[str, str]:
    """Each Saleor channel's currency (which decides an unconfigured channel's defaults), in Saleor's
    order; empty when Saleor is briefly away."""
    try:
        return {channel.slug: channel.currency_code for channel in await _saleor_channels(info, auth)}
    except SaleorApiError as exc:
        log.warning("channels unavailable, showing saved settings only", extra={"error": str(exc)})
        return {}


def _defaults(channel: str, currency: str | None) -> t.ChannelSettings:
    return convert.channel_settings(
        channel, default_channel_settings(currency), is_default=True, currency=currency
    )


async def all_channel_settings(info: Ctx) -> list[t.ChannelSettings]:
    auth = await info.context.dashboard()
    async with info.context.db.read() as session:
        stored = await service.all_channel_settings(session, auth.installation_id)
    # Saved settings are still worth showing when Saleor is briefly away.
    currencies = await _channel_currencies(info, auth)
    result = [convert.channel_settings(slug, spec, is_default=False) for slug, spec in sorted(stored.items())]
    result += [_defaults(slug, currency) for slug, currency in currencies.items() if slug not in stored]
    return result


async def channel_setting(info: Ctx, channel: str) -> t.ChannelSettings:
    auth = await info.context.dashboard()
    async with info.context.db.read() as session:
        stored = await service.all_channel_settings(session, auth.installation_id)
    spec = stored.get(channel)
    if spec is not None:
        return convert.channel_settings(channel, spec, is_default=False)
    return _defaults(channel, (await _channel_currencies(info, auth)).get(channel))


async def channel_settings_update(
    info: Ctx, channel: str, input: t.ChannelSettingsInput
) -> t.ChannelSettingsPayload:
    auth = await info.context.dashboard(write=True)
    if not channel.strip():
        return t.ChannelSettingsPayload(
            settings=None,
            errors=convert.error(t.ErrorCode.REQUIRED, "A channel slug is required.", "channel"),
        )
    # A first save starts from the channel's defaults, which depend on its currency.
    currency = (await _channel_currencies(info, auth)).get(channel)
    try:
        async with info.context.db.transaction() as session:
            saved = await service.update_channel_settings(
                session,
                auth.installation_id,
                channel,
                convert.channel_settings_changes(input),
                info.context.clock(),
                currency,
            )
    except InvalidRule as exc:
        return t.ChannelSettingsPayload(
            settings=None, errors=convert.upsell_errors(exc.errors, camel_case=True)
        )
    return t.ChannelSettingsPayload(
        settings=convert.channel_settings(channel, saved, is_default=False), errors=[]
    )


# ------------------------------------------------------------------------------------------------ preview


async def rule_preview(
    info: Ctx,
    spec: JSON,
    channel: str,
    sample_trigger_price: Annotated[
        Decimal | None,
        strawberry.argument(description="Price of what triggers the offer (unit price, or cart subtotal)."),
    ] = None,
) -> t.RulePreview:
    auth = await info.context.dashboard()
    context = info.context
    empty = t.RulePreview(
        variant_name=None, image_url=None, price=None, regular_price=None, catalogue_price=None,
        ceiling_base=None, warnings=[], errors=[],
    )  # fmt: skip

    async def settings_of(slug: str) -> ChannelSettingsSpec:
        async with context.db.read() as session:
            stored = await service.all_channel_settings(session, auth.installation_id)
        if slug in stored:
            return stored[slug]
        return default_channel_settings((await _channel_currencies(info, auth)).get(slug))

    try:
        preview = await preview_rule(
            spec,
            channel,
            sample_trigger_price,
            client=context.client(auth.installation),
            catalogue=context.catalogue,
            channel_settings=settings_of,
        )
    except InvalidRule as exc:
        empty.errors = convert.upsell_errors(exc.errors)
        return empty
    except SaleorApiError as exc:
        empty.errors = convert.error(t.ErrorCode.SALEOR_ERROR, f"Could not read prices from Saleor: {exc}")
        return empty
    warnings = [t.PreviewWarning(code=w.code, message=w.message) for w in preview.warnings]
    variant = preview.variant
    if variant is None:
        empty.warnings = warnings
        return empty
    currency = preview.currency

    def money(amount: Decimal | None) -> t.Money | None:
        return convert.money(amount, currency) if amount is not None else None

    return t.RulePreview(
        variant_name=variant.name,
        image_url=variant.thumbnail_url,
        price=money(preview.unit_price),
        regular_price=money(preview.regular_price),
        catalogue_price=money(variant.current_price),
        ceiling_base=money(preview.ceiling_base),
        warnings=warnings,
        errors=[],
    )


# ------------------------------------------------------------------------------------------------ search


def _money(money: TaxedMoney | None) -> t.Money | None:
    return convert.money(money.gross.amount, money.gross.currency) if money is not None else None


def _variant(node: PricedVariant) -> t.CatalogVariant:
    pricing = node.pricing
    return t.CatalogVariant(
        id=strawberry.ID(node.id),
        name=node.name or "",
        sku=node.sku,
        price=_money(pricing.price) if pricing else None,
        regular_price=_money(pricing.price_undiscounted) if pricing else None,
        quantity_available=node.quantity_available,
    )


def _product(node: SearchProduct) -> t.CatalogProduct:
    return t.CatalogProduct(
        id=strawberry.ID(node.id),
        name=node.name,
        thumbnail_url=node.thumbnail.url if node.thumbnail else None,
        category_id=strawberry.ID(node.category.id) if node.category else None,
        collection_ids=[strawberry.ID(c.id) for c in node.collections or ()],
        variants=[_variant(v) for v in node.variants or ()],
    )


async def catalog_search(info: Ctx, search: str, channel: str, first: int = 20) -> list[t.CatalogProduct]:
    auth = await info.context.dashboard()
    client = info.context.client(auth.installation)
    try:
        found = await gateway.search_products(client, search, channel, max(1, min(first, MAX_RESULTS)))
    except SaleorApiError as exc:
        raise ApiError(SALEOR_UNAVAILABLE, f"Saleor did not answer the search: {exc}") from exc
    return [_product(node) for node in found]


async def catalog_items(
    info: Ctx, ids: list[strawberry.ID], channel: str | None = None
) -> list[t.SuggestionItem]:
    """Saleor's names and thumbnails of products and variants by id, in the order asked (the editor's
    saved rules hold ids). An id Saleor does not know, or a Saleor failure, gives a null name."""
    auth = await info.context.dashboard()
    client = info.context.client(auth.installation)
    asked = [str(i) for i in ids[:MAX_RESULTS]]
    names = await item_names(client, asked, channel)
    return [
        t.SuggestionItem(
            id=strawberry.ID(i),
            name=names[i].name if i in names else None,
            image_url=names[i].image_url if i in names else None,
        )
        for i in asked
    ]


async def catalog_groups(
    info: Ctx,
    search: str | None = None,
    ids: list[strawberry.ID] | None = None,
    channel: str | None = None,
    first: int = 20,
) -> t.CatalogGroups:
    auth = await info.context.dashboard()
    client = info.context.client(auth.installation)
    wanted = [str(i) for i in ids[:MAX_RESULTS]] if ids is not None else None
    limit = len(wanted) if wanted else max(1, min(first, MAX_RESULTS))
    try:
        categories, collections = await gateway.catalog_groups(client, search, wanted, channel, max(1, limit))
    except SaleorApiError as exc:
        raise ApiError(SALEOR_UNAVAILABLE, f"Saleor did not answer the search: {exc}") from exc
    return t.CatalogGroups(
        categories=[t.CatalogGroup(id=strawberry.ID(c.id), name=c.name) for c in categories],
        collections=[t.CatalogGroup(id=strawberry.ID(c.id), name=c.name) for c in collections],
    )
