"""Plain values the engine reads and returns (frozen, slotted; no I/O, no validation cost)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from .spec import BumpRuleSpec, PostPurchaseRuleSpec, UpgradeRuleSpec


class OfferKind(StrEnum):
    """What a checkout offer does: add a line (bump) or swap one (upgrade)."""

    BUMP = "bump"
    UPGRADE = "upgrade"


_EMPTY: Mapping[str, str] = {}


@dataclass(frozen=True, slots=True)
class Rule:
    """A stored rule: its database id, its spec, and when it was created (older wins priority ties)."""

    id: int
    spec: BumpRuleSpec | UpgradeRuleSpec | PostPurchaseRuleSpec
    created_at: datetime | None = None


# ---------------------------------------------------------------- checkout side


@dataclass(frozen=True, slots=True)
class CheckoutLine:
    id: str
    variant_id: str
    product_id: str
    category_id: str | None
    collection_ids: frozenset[str]
    quantity: int
    # What the shopper pays per unit after promotions, vouchers and overrides, in the channel's price
    # convention: net when its prices are entered without tax, gross when with (see docs/pricing.md).
    unit_price: Decimal
    undiscounted_unit_price: Decimal  # the entered price (a custom price as sent)
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckoutSnapshot:
    id: str
    channel_slug: str
    currency: str
    lines: tuple[CheckoutLine, ...]
    subtotal: Decimal
    metadata: Mapping[str, str] = field(default_factory=dict)
    in_payment: bool = False  # authorizeStatus or chargeStatus is not NONE
    delivery_method_chosen: bool = False
    issued_at: datetime | None = None
    voucher_code: str | None = None  # the shopper's voucher: applied on top of offer prices, never undone
    discount: Decimal = Decimal(0)  # Checkout.discount: the voucher's (or an order promotion's) amount
    prices_entered_with_tax: bool = True  # which of net and gross the prices above are


@dataclass(frozen=True, slots=True)
class VariantPricing:
    """Catalogue pricing of an offer variant in the checkout's channel (from Saleor's productVariants)."""

    variant_id: str
    channel: str
    currency: str
    regular_price: Decimal  # pricing.priceUndiscounted
    current_price: Decimal  # pricing.price: after catalogue promotions
    available: bool
    name: str
    product_id: str
    thumbnail_url: str | None = None
    category_id: str | None = None
    collection_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CheckoutHistory:
    """What the app already knows about this checkout (from its own database).

    ``offered_rule_ids``: rules the app added (inject mode) or that the shopper accepted. A rule in this
    set whose line is gone was removed by the shopper and is never added again. It is also what makes a
    line's upsell marker trusted: line metadata is public, so a marker naming a rule the app never applied
    here is ignored. ``declined_rule_ids``: rules the shopper explicitly declined (offer mode, revert).
    """

    declined_rule_ids: frozenset[int] = frozenset()
    offered_rule_ids: frozenset[int] = frozenset()


# ---------------------------------------------------------------- decisions


@dataclass(frozen=True, slots=True)
class AddBump:
    """Add ``variant_id`` as its own line (``forceNewLine: true``) with ``price: override_price``."""

    rule_id: int
    variant_id: str
    product_id: str
    quantity: int
    unit_price: Decimal  # target: what the shopper should pay per unit
    override_price: Decimal  # what to send as CheckoutLineInput.price (promotion-compensated)
    regular_price: Decimal
    currency: str
    metadata: Mapping[str, str]
    price_override_reason: str
    arm: str | None = None  # the rule's A/B variant this checkout sees; None without variants


@dataclass(frozen=True, slots=True)
class RemoveBump:
    line_id: str
    rule_id: int
    reason: SkipReason
    message: str


@dataclass(frozen=True, slots=True)
class SplitBumpQuantity:
    """Set the bump line to ``keep`` units and add ``excess`` units as a regular-price line.

    The regular line must be added with ``forceNewLine: true`` and no ``price``, or Saleor merges it back
    into the bump line, which keeps the custom price for every unit.
    """

    line_id: str
    rule_id: int
    variant_id: str
    keep: int
    excess: int
    regular_price: Decimal  # expected price of the excess units (from the line's marker)


@dataclass(frozen=True, slots=True)
class SwapUpgrade:
    """Delete ``line_id`` and add ``to_variant_id`` (``forceNewLine: true``, ``price: override_price``).

    ``metadata`` records the original variant and quantity, so a revert is one delete + one add.
    """

    line_id: str
    rule_id: int
    from_variant_id: str
    to_variant_id: str
    to_product_id: str
    to_category_id: str | None
    to_collection_ids: frozenset[str]
    quantity: int
    unit_price: Decimal
    override_price: Decimal
    regular_price: Decimal
    currency: str
    metadata: Mapping[str, str]
    price_override_reason: str


Decision = AddBump | RemoveBump | SplitBumpQuantity | SwapUpgrade


@dataclass(frozen=True, slots=True)
class Offer:
    """An opt-in offer for ``offer`` mode: what accepting it would do, plus the copy to show."""

    rule_id: int
    kind: OfferKind
    action: AddBump | SwapUpgrade
    headline: str
    reason: str
    badge: str | None


class SkipReason(StrEnum):
    # checkout-level (rule_id is None)
    IN_PAYMENT = "in_payment"
    NO_SHOPPER_LINES = "no_shopper_lines"
    CAP_REACHED = "cap_reached"
    # rule-level
    DISABLED = "disabled"
    OUTSIDE_WINDOW = "outside_window"
    OTHER_CHANNEL = "other_channel"
    ALREADY_APPLIED = "already_applied"
    DECLINED = "declined"
    REMOVED_BY_SHOPPER = "removed_by_shopper"
    SUBTOTAL_BELOW_MINIMUM = "subtotal_below_minimum"
    NO_AMOUNT_FOR_CURRENCY = "no_amount_for_currency"
    VARIANT_IN_CART = "variant_in_cart"
    DELIVERY_STAGE = "delivery_stage"
    PRICING_MISSING = "pricing_missing"
    UNAVAILABLE = "unavailable"
    CURRENCY_MISMATCH = "currency_mismatch"
    PRICE_NOT_POSITIVE = "price_not_positive"
    ABOVE_REGULAR_PRICE = "above_regular_price"
    PROMOTION_IS_BETTER = "promotion_is_better"
    ABOVE_PRICE_CEILING = "above_price_ceiling"
    HOLDOUT = "holdout"
    WOULD_ORPHAN_BUMP = "would_orphan_bump"
    NOT_ELIGIBLE_LINE = "not_eligible_line"
    # removals
    TRIGGER_LEFT = "trigger_left"


@dataclass(frozen=True, slots=True)
class Skip:
    rule_id: int | None
    reason: SkipReason
    message: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    decisions: tuple[Decision, ...] = ()
    offers: tuple[Offer, ...] = ()
    skips: tuple[Skip, ...] = ()
    holdout: bool = False  # the checkout is in the control group: nothing added, skips say what would be


# ---------------------------------------------------------------- orders (post-purchase)


@dataclass(frozen=True, slots=True)
class OrderLine:
    id: str
    variant_id: str
    product_id: str
    category_id: str | None
    collection_ids: frozenset[str]
    quantity: int
    unit_price: Decimal
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OrderSnapshot:
    id: str
    channel_slug: str
    currency: str
    status: str  # Saleor OrderStatus: UNCONFIRMED orders can still take lines
    lines: tuple[OrderLine, ...]
    total: Decimal
    user_email: str | None = None
    user_id: str | None = None
    checkout_id: str | None = None  # holdout is keyed on it when known, so both surfaces agree


@dataclass(frozen=True, slots=True)
class PostPurchaseDecision:
    rule_id: int
    order_id: str
    variant_id: str
    product_id: str
    quantity: int
    unit_price: Decimal
    override_price: Decimal
    regular_price: Decimal
    currency: str
    expires_at: datetime
    headline: str
    benefits: tuple[str, ...]
    show_value_comparison: bool
    price_override_reason: str
    add_to_same_order: bool  # order still UNCONFIRMED: orderLinesCreate; otherwise a follow-up order
    auto_confirm: bool
