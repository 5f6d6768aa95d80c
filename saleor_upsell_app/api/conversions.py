"""Mapping the features' and the engine's values onto the API's types (shared by every feature's
resolvers)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from ..engine.consent import default_mode_reason
from ..engine.money import quantize
from ..engine.spec import ChannelSettingsSpec, UpgradeRuleSpec
from ..rules.service import FieldError
from ..rules.stored import StoredRule
from . import types as t

WHOLE_INPUT = "(rule)"  # describe_errors' path for a problem of the whole object
RULE_KINDS = frozenset(kind.value for kind in t.RuleKind)
PRICE_TYPES = frozenset({"percent_off", "amount_off", "fixed", "free_gift"})


def money(amount: Decimal, currency: str) -> t.Money:
    """Money with the currency's minor units (Saleor sends floats: 20.0 is shown as 20.00)."""
    return t.Money(amount=quantize(amount, currency), currency=currency)


def rule(stored: StoredRule) -> t.Rule:
    spec = stored.spec
    if isinstance(spec, UpgradeRuleSpec):
        channels, offer_variant = spec.channels, spec.to_variant_id
    else:
        channels, offer_variant = spec.trigger.channels, spec.offer_variant_id
    return t.Rule(
        id=strawberry.ID(str(stored.id)),
        kind=t.RuleKind(spec.kind),
        name=spec.name,
        enabled=spec.enabled,
        priority=spec.priority,
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        channels=list(channels),
        offer_variant_id=strawberry.ID(offer_variant),
        headline=spec.copy_text.headline,
        spec=cast(JSON, spec.model_dump(mode="json", by_alias=True)),
        created_at=stored.created_at,
        updated_at=stored.updated_at,
    )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def input_path(field: str) -> str | None:
    """A validation path as the caller wrote the input: pydantic also names the union tags it chose
    (``bump.price.percent_off.percent``), which are values in the input, not fields."""
    parts = field.split(".")
    if parts and parts[0] in RULE_KINDS:
        parts = parts[1:]
    parts = [p for i, p in enumerate(parts) if not (i > 0 and parts[i - 1] == "price" and p in PRICE_TYPES)]
    path = ".".join(parts)
    return None if path in ("", WHOLE_INPUT) else path


def upsell_errors(errors: Iterable[FieldError], *, camel_case: bool = False) -> list[t.UpsellError]:
    """rules.service's field errors as payload errors; ``camel_case`` for typed (GraphQL-named) inputs."""
    out = []
    for error in errors:
        field = input_path(error.field)
        if field is not None and camel_case:
            field = ".".join(_camel(part) for part in field.split("."))
        code = t.ErrorCode.REQUIRED if error.message == "Field required" else t.ErrorCode.INVALID
        out.append(t.UpsellError(field=field, code=code, message=error.message))
    return out


def error(code: t.ErrorCode, message: str, field: str | None = None) -> list[t.UpsellError]:
    return [t.UpsellError(field=field, code=code, message=message)]


def channel_settings(
    channel: str, spec: ChannelSettingsSpec, *, is_default: bool, currency: str | None = None
) -> t.ChannelSettings:
    return t.ChannelSettings(
        channel=channel,
        mode=t.ChannelMode(spec.mode),
        max_offers_per_checkout=spec.max_offers_per_checkout,
        allow_more_than_two=spec.allow_more_than_two,
        price_ceiling_percent=spec.price_ceiling_percent,
        holdout_percent=spec.holdout_percent,
        allow_after_delivery_method=spec.allow_after_delivery_method,
        post_purchase_auto_confirm=spec.post_purchase_auto_confirm,
        social_proof_min_orders=spec.social_proof_min_orders,
        guardrail_enabled=spec.guardrail_enabled,
        guardrail_margin_points=spec.guardrail_margin_points,
        is_default=is_default,
        default_mode_reason=default_mode_reason(currency) if is_default else None,
    )


def channel_settings_changes(data: t.ChannelSettingsInput) -> dict[str, Any]:
    """Only the fields the caller sent (UNSET = keep the current value)."""
    changes: dict[str, Any] = {}
    for name, value in vars(data).items():
        if value is strawberry.UNSET:
            continue
        changes[name] = value.value if isinstance(value, t.ChannelMode) else value
    return changes
