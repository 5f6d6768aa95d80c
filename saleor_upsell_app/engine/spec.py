"""Rule and channel-settings definitions: the one validated format for rules.

The CLI import file (JSON/YAML), the database's JSON columns and the dashboard API all go through these
models, so every mistake is reported against the field that holds it (``price.percent_off.percent``,
``trigger.min_subtotal.JPY``...). Unknown fields are refused: a typo in an import file must not silently
turn a guardrail off.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from .ids import global_id_type
from .money import has_valid_precision

HARD_MAX_OFFERS_PER_CHECKOUT = 10
SOFT_MAX_OFFERS_PER_CHECKOUT = 2


def _global_id_of(type_name: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        found = global_id_type(value)
        if found is None:
            raise ValueError(f"{value!r} is not a Saleor global id (base64 of '{type_name}:<id>')")
        if found != type_name:
            raise ValueError(f"{value!r} is a {found} id; expected a {type_name} id")
        return value

    return check


_Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
VariantId = Annotated[_Id, AfterValidator(_global_id_of("ProductVariant"))]
ProductId = Annotated[_Id, AfterValidator(_global_id_of("Product"))]
CategoryId = Annotated[_Id, AfterValidator(_global_id_of("Category"))]
CollectionId = Annotated[_Id, AfterValidator(_global_id_of("Collection"))]
ChannelSlug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


def _check_currency(code: str) -> str:
    if len(code) != 3 or not code.isascii() or not code.isalpha() or not code.isupper():
        raise ValueError(f"{code!r} is not an ISO 4217 currency code (three capital letters, e.g. USD)")
    return code


CurrencyCode = Annotated[str, AfterValidator(_check_currency)]


def _check_amounts(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    for currency, amount in amounts.items():
        if not amount.is_finite() or amount <= 0:
            raise ValueError(f"{currency} amount must be greater than 0, got {amount}")
        if not has_valid_precision(amount, currency):
            raise ValueError(f"{currency} amount {amount} has more decimal places than {currency} allows")
    return amounts


# Money per currency; a rule never converts currencies, so each currency it sells in is listed.
AmountsByCurrency = Annotated[dict[CurrencyCode, Decimal], AfterValidator(_check_amounts)]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class _Spec(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
    )


# ---------------------------------------------------------------- price forms


class PercentOff(_Spec):
    """``percent`` off the variant's regular (undiscounted) price."""

    type: Literal["percent_off"]
    percent: Annotated[Decimal, Field(gt=0, lt=100, description="0 < percent < 100")]


class AmountOff(_Spec):
    """A fixed amount off the regular price, per currency."""

    type: Literal["amount_off"]
    amounts: Annotated[AmountsByCurrency, Field(min_length=1)]


class FixedPrice(_Spec):
    """A fixed unit price, per currency."""

    type: Literal["fixed"]
    amounts: Annotated[AmountsByCurrency, Field(min_length=1)]


class FreeGift(_Spec):
    """Price 0: the only form that may produce a zero price."""

    type: Literal["free_gift"]


PriceSpec = Annotated[PercentOff | AmountOff | FixedPrice | FreeGift, Field(discriminator="type")]
# Upgrades replace what the shopper chose; giving the premium tier away makes no sense.
UpgradePriceSpec = Annotated[PercentOff | AmountOff | FixedPrice, Field(discriminator="type")]


# ---------------------------------------------------------------- shared parts


class TriggerSpec(_Spec):
    """What must be in the cart (any one item matches) and/or how much it must be worth.

    Item triggers and ``min_subtotal`` combine with AND: a rule with both needs a matching item *and* the
    subtotal. ``channels`` empty means every channel.
    """

    variant_ids: list[VariantId] = Field(default_factory=list)
    product_ids: list[ProductId] = Field(default_factory=list)
    category_ids: list[CategoryId] = Field(default_factory=list)
    collection_ids: list[CollectionId] = Field(default_factory=list)
    min_subtotal: AmountsByCurrency | None = None
    channels: list[ChannelSlug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _needs_a_trigger(self) -> Self:
        if not self.has_item_trigger and not self.min_subtotal:
            raise ValueError(
                "a trigger needs at least one of variant_ids, product_ids, category_ids, collection_ids "
                "or min_subtotal"
            )
        for name in ("variant_ids", "product_ids", "category_ids", "collection_ids", "channels"):
            object.__setattr__(self, name, _unique(getattr(self, name)))
        return self

    @property
    def has_item_trigger(self) -> bool:
        return bool(self.variant_ids or self.product_ids or self.category_ids or self.collection_ids)


class BumpCopy(_Spec):
    headline: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    reason: Annotated[str, StringConstraints(min_length=1, max_length=280)] = Field(
        description="Why this pairs well; shown by the app's own surfaces."
    )
    badge: Annotated[str, StringConstraints(min_length=1, max_length=24)] | None = None


class PostPurchaseCopy(_Spec):
    headline: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    benefits: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=160)]], Field(max_length=6)
    ] = Field(default_factory=list)
    show_value_comparison: bool = True


class Overrides(_Spec):
    """Guardrails this rule knowingly overrides (all off by default)."""

    price_ceiling: bool = False
    max_offers: bool = False
    delivery_stage: bool = False


class _RuleBase(_Spec):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    enabled: bool = True
    priority: int = Field(
        default=0, ge=-1_000_000, le=1_000_000, description="Higher wins; ties: older rule."
    )
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    overrides: Overrides = Field(default_factory=Overrides)

    @model_validator(mode="after")
    def _window_is_ordered(self) -> Self:
        if self.starts_at is not None and self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be later than starts_at")
        return self


# ---------------------------------------------------------------- A/B variants

# Arm names the analytics already use: the random holdout, and a rule's one treatment without variants.
RESERVED_ARMS = ("holdout", "offers")


class BumpVariant(_Spec):
    """One arm of a bump rule's A/B test: what it changes from the rule (omitted: the rule's own)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=24, pattern=r"^[A-Za-z0-9 _.-]+$")]
    weight: int = Field(default=1, ge=0, le=1000, description="Relative share of the rule's checkouts.")
    offer_variant_id: VariantId | None = None
    price: PriceSpec | None = None
    copy_text: BumpCopy | None = Field(default=None, alias="copy")

    @model_validator(mode="after")
    def _name_is_free(self) -> Self:
        if self.name.casefold() in RESERVED_ARMS:
            raise ValueError(f"{self.name!r} is reserved; name variants e.g. A and B")
        return self


# ---------------------------------------------------------------- rule kinds


class BumpRuleSpec(_RuleBase):
    kind: Literal["bump"] = "bump"
    trigger: TriggerSpec
    offer_variant_id: VariantId
    price: PriceSpec
    # Called "copy" in the file format; renamed in Python because BaseModel.copy exists.
    copy_text: BumpCopy = Field(alias="copy")
    max_quantity: int = Field(default=1, ge=1, le=99, description="Units sold at the offer price.")
    allow_promotion_stacking: bool = False
    # An A/B test of offers: each checkout that is not held out sees one variant, stably (by checkout id).
    variants: Annotated[list[BumpVariant], Field(max_length=6)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _offer_is_not_its_own_trigger(self) -> Self:
        offers = [self.offer_variant_id, *(v.offer_variant_id for v in self.variants if v.offer_variant_id)]
        if any(offer in self.trigger.variant_ids for offer in offers):
            raise ValueError(
                "an offered variant is also in trigger.variant_ids; "
                "a variant already in the cart is never offered"
            )
        return self

    @model_validator(mode="after")
    def _variants_make_a_test(self) -> Self:
        if not self.variants:
            return self
        names = [v.name.casefold() for v in self.variants]
        if len(set(names)) != len(names):
            raise ValueError("variant names must be unique")
        if len(self.variants) < 2:
            raise ValueError("an A/B test needs at least two variants")
        if sum(v.weight for v in self.variants) <= 0:
            raise ValueError("at least one variant needs a weight above 0")
        return self

    def with_variant(self, name: str) -> BumpRuleSpec:
        """The rule as the checkouts of variant ``name`` see it (no variants left); itself if unknown."""
        variant = next((v for v in self.variants if v.name == name), None)
        if variant is None:
            return self
        changes: dict[str, Any] = {"variants": []}
        if variant.offer_variant_id is not None:
            changes["offer_variant_id"] = variant.offer_variant_id
        if variant.price is not None:
            changes["price"] = variant.price
        if variant.copy_text is not None:
            changes["copy_text"] = variant.copy_text
        return self.model_copy(update=changes)


class UpgradeRuleSpec(_RuleBase):
    kind: Literal["upgrade"] = "upgrade"
    from_variant_ids: Annotated[list[VariantId], Field(min_length=1)]
    to_variant_id: VariantId
    price: UpgradePriceSpec
    copy_text: BumpCopy = Field(alias="copy")
    channels: list[ChannelSlug] = Field(default_factory=list)
    allow_promotion_stacking: bool = False

    @model_validator(mode="after")
    def _target_differs(self) -> Self:
        if self.to_variant_id in self.from_variant_ids:
            raise ValueError("to_variant_id must not be one of from_variant_ids")
        object.__setattr__(self, "from_variant_ids", _unique(self.from_variant_ids))
        return self


class PostPurchaseRuleSpec(_RuleBase):
    kind: Literal["post_purchase"] = "post_purchase"
    trigger: TriggerSpec
    offer_variant_id: VariantId
    price: PriceSpec
    copy_text: PostPurchaseCopy = Field(alias="copy")
    window_minutes: int = Field(default=15, ge=1, le=24 * 60, description="How long the offer stays open.")
    allow_promotion_stacking: bool = False


RuleSpec = Annotated[BumpRuleSpec | UpgradeRuleSpec | PostPurchaseRuleSpec, Field(discriminator="kind")]
RULE_SPEC_ADAPTER: TypeAdapter[BumpRuleSpec | UpgradeRuleSpec | PostPurchaseRuleSpec] = TypeAdapter(RuleSpec)


def parse_rule_spec(data: Any) -> BumpRuleSpec | UpgradeRuleSpec | PostPurchaseRuleSpec:
    """Validate one rule from JSON-like data; ``kind`` (bump | upgrade | post_purchase) must be given."""
    return RULE_SPEC_ADAPTER.validate_python(data)


def describe_errors(error: ValidationError) -> list[str]:
    """One ``"path: message"`` line per problem, for the CLI and the dashboard."""
    lines = []
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"]) or "(rule)"
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{path}: {message}")
    return lines


# ---------------------------------------------------------------- channel settings


DEFAULT_HOLDOUT_PERCENT = Decimal(10)


class ChannelMode(StrEnum):
    """inject: the app adds offers as lines (the shopper removes them); offer: nothing is added, the
    storefront shows opt-in offers."""

    INJECT = "inject"
    OFFER = "offer"


class ChannelSettingsSpec(_Spec):
    """Per-channel guardrails; a channel without a settings row uses ``ChannelSettingsSpec()``."""

    mode: ChannelMode = ChannelMode.INJECT
    max_offers_per_checkout: int = Field(default=1, ge=0, le=HARD_MAX_OFFERS_PER_CHECKOUT)
    allow_more_than_two: bool = Field(
        default=False, description="Must be set to knowingly allow more than two offers per checkout."
    )
    price_ceiling_percent: Annotated[Decimal, Field(gt=0, le=1000)] | None = Decimal(25)
    # 10%: what it costs and buys is in docs/experiments.md ("The holdout"); 0 measures nothing.
    holdout_percent: Annotated[Decimal, Field(ge=0, le=50)] = DEFAULT_HOLDOUT_PERCENT
    allow_after_delivery_method: bool = False
    post_purchase_auto_confirm: bool = False
    social_proof_min_orders: int = Field(
        default=30, ge=1, le=1_000_000, description="Orders of a product needed before a social-proof figure."
    )
    # The completion guardrail (insights/guardrail.py): pause a rule whose checkouts complete less often
    # than held-out ones by more than the margin, proven by the always-valid test.
    guardrail_enabled: bool = True
    guardrail_margin_points: Annotated[Decimal, Field(ge=0, le=20)] = Decimal(0)

    @model_validator(mode="after")
    def _more_than_two_is_deliberate(self) -> Self:
        if self.max_offers_per_checkout > SOFT_MAX_OFFERS_PER_CHECKOUT and not self.allow_more_than_two:
            raise ValueError(
                f"max_offers_per_checkout above {SOFT_MAX_OFFERS_PER_CHECKOUT} irritates shoppers; "
                "set allow_more_than_two: true to allow it knowingly"
            )
        return self
