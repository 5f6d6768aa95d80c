/** The two rule families the app has pages for: checkout offers (bumps, upgrades) and post-purchase. */
import type { RuleKind as ApiRuleKind } from "../../api/generated";
import { paths } from "../../router/routes";
import type { RuleKind } from "./ruleForm";

export type Family = "checkout" | "postPurchase";

export const FAMILY = {
  checkout: {
    title: "Offers",
    description: "Order bumps and upgrades added to, or offered in, the checkout.",
    kinds: ["BUMP", "UPGRADE"] as ApiRuleKind[],
    defaultKind: "bump" as RuleKind,
    list: paths.offers,
    create: paths.offerNew,
    edit: paths.offerEdit,
    newLabel: "New offer",
    emptyTitle: "Create your first order bump",
    emptyText:
      "An order bump adds a small, related extra to the checkout at a better price, like a case with a phone. " +
      "Start with one rule for your best-selling product, or turn a suggestion mined from your orders into one.",
  },
  postPurchase: {
    title: "Post-purchase",
    description: "One-click offers shown after the order is placed, for a limited time.",
    kinds: ["POST_PURCHASE"] as ApiRuleKind[],
    defaultKind: "post_purchase" as RuleKind,
    list: paths.postPurchase,
    create: paths.postPurchaseNew,
    edit: paths.postPurchaseEdit,
    newLabel: "New post-purchase offer",
    emptyTitle: "Create your first post-purchase offer",
    emptyText:
      "After checkout, offer one item the customer can add with one click, without entering payment details " +
      "again. Pick what triggers it, the item and its price, and how long the offer stays open.",
  },
} as const;

export const KIND_LABEL: Record<ApiRuleKind, string> = {
  BUMP: "Order bump",
  UPGRADE: "Upgrade",
  POST_PURCHASE: "Post-purchase",
};
