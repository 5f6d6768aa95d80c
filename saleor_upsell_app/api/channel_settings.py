"""Dashboard: per-channel guardrails (mode, cap, price ceiling, holdout, timing, auto-confirm)."""

from __future__ import annotations

import logging

from strawberry.types import Info

from ..offers.spec import ChannelSettingsSpec
from ..rule_service import InvalidRule, validate_channel_settings
from ..saleor.errors import SaleorApiError
from . import conversions as convert
from . import types as t
from .context import ApiContext, DashboardAuth
from .errors import SALEOR_UNAVAILABLE, ApiError

log = logging.getLogger("saleor_upsell.api.channel_settings")


async def saleor_channels(info: Info[ApiContext, None], auth: DashboardAuth) -> list[t.SaleorChannel]:
    client = info.context.services.saleor_client(auth.installation)
    data = await client.execute("Channels", {})
    return [
        t.SaleorChannel(
            slug=str(c["slug"]),
            name=str(c["name"]),
            currency_code=str(c["currencyCode"]),
            is_active=bool(c["isActive"]),
        )
        for c in data.get("channels") or ()
    ]


async def channels(info: Info[ApiContext, None]) -> list[t.SaleorChannel]:
    auth = await info.context.dashboard()
    try:
        return await saleor_channels(info, auth)
    except SaleorApiError as exc:
        raise ApiError(SALEOR_UNAVAILABLE, f"Saleor did not list its channels: {exc}") from exc


async def all_channel_settings(info: Info[ApiContext, None]) -> list[t.ChannelSettings]:
    auth = await info.context.dashboard()
    stored = await info.context.services.rules.all_channel_settings(auth.installation_id)
    try:
        slugs = [channel.slug for channel in await saleor_channels(info, auth)]
    except SaleorApiError as exc:
        # Saved settings are still worth showing when Saleor is briefly away.
        log.warning("channels unavailable, showing saved settings only", extra={"error": str(exc)})
        slugs = []
    result = [convert.channel_settings(slug, spec, is_default=False) for slug, spec in sorted(stored.items())]
    for slug in slugs:
        if slug not in stored:
            result.append(convert.channel_settings(slug, ChannelSettingsSpec(), is_default=True))
    return result


async def channel_setting(info: Info[ApiContext, None], channel: str) -> t.ChannelSettings:
    auth = await info.context.dashboard()
    stored = await info.context.services.rules.all_channel_settings(auth.installation_id)
    spec = stored.get(channel)
    return convert.channel_settings(channel, spec or ChannelSettingsSpec(), is_default=spec is None)


async def channel_settings_update(
    info: Info[ApiContext, None], channel: str, input: t.ChannelSettingsInput
) -> t.ChannelSettingsPayload:
    auth = await info.context.dashboard(write=True)
    if not channel.strip():
        return t.ChannelSettingsPayload(
            settings=None,
            errors=convert.error(t.ErrorCode.REQUIRED, "A channel slug is required.", "channel"),
        )
    services = info.context.services
    current = await services.rules.channel_settings(auth.installation_id, channel)
    merged = {**current.model_dump(mode="json"), **convert.channel_settings_changes(input)}
    try:
        spec = validate_channel_settings(merged)
    except InvalidRule as exc:
        return t.ChannelSettingsPayload(
            settings=None, errors=convert.upsell_errors(exc.errors, camel_case=True)
        )
    saved = await services.rules.save_channel_settings(auth.installation_id, channel, spec, services.clock())
    return t.ChannelSettingsPayload(
        settings=convert.channel_settings(channel, saved, is_default=False), errors=[]
    )
