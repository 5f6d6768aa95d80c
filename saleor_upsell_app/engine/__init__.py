"""Pure offer engine: rules, pricing, guardrails and decisions (no HTTP, no DB, no clock)."""

from .evaluation import evaluate_checkout, offer_variant_ids_to_price
from .index import RuleIndex
from .post_purchase import evaluate_post_purchase
from .pricing import corrected_override, offer_price
from .simulate import apply_decisions, history_after
from .spec import (
    BumpRuleSpec,
    ChannelSettingsSpec,
    PostPurchaseRuleSpec,
    UpgradeRuleSpec,
    describe_errors,
    parse_rule_spec,
)
from .types import (
    AddBump,
    CheckoutHistory,
    CheckoutLine,
    CheckoutSnapshot,
    Decision,
    Evaluation,
    Offer,
    OrderLine,
    OrderSnapshot,
    PostPurchaseDecision,
    RemoveBump,
    Rule,
    Skip,
    SkipReason,
    SplitBumpQuantity,
    SwapUpgrade,
    VariantPricing,
)

__all__ = [
    "AddBump",
    "BumpRuleSpec",
    "ChannelSettingsSpec",
    "CheckoutHistory",
    "CheckoutLine",
    "CheckoutSnapshot",
    "Decision",
    "Evaluation",
    "Offer",
    "OrderLine",
    "OrderSnapshot",
    "PostPurchaseDecision",
    "PostPurchaseRuleSpec",
    "RemoveBump",
    "Rule",
    "RuleIndex",
    "Skip",
    "SkipReason",
    "SplitBumpQuantity",
    "SwapUpgrade",
    "UpgradeRuleSpec",
    "VariantPricing",
    "apply_decisions",
    "corrected_override",
    "describe_errors",
    "evaluate_checkout",
    "evaluate_post_purchase",
    "history_after",
    "offer_price",
    "offer_variant_ids_to_price",
    "parse_rule_spec",
]
