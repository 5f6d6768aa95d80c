/** The rule editor's form state: strings as typed, converted to the API's input only when saving. */
import type { VariantForm } from "./variants";

export type RuleKind = "bump" | "upgrade" | "post_purchase";
export type PriceType = "percent_off" | "amount_off" | "fixed" | "free_gift";

/** Something picked from the catalogue: its Saleor global id, a label to show and, if known, a thumbnail. */
export type Picked = { id: string; label: string; imageUrl?: string | null };

export type RuleForm = {
  kind: RuleKind;
  name: string;
  enabled: boolean;
  priority: string;
  channels: string[];
  triggerVariants: Picked[];
  triggerProducts: Picked[];
  triggerCategories: Picked[];
  triggerCollections: Picked[];
  /** Minimum cart subtotal per currency ("" = not set). */
  minSubtotal: Record<string, string>;
  /** Bump / post-purchase: the offered variant. Upgrade: the premium variant. */
  offerVariant: Picked | null;
  /** Upgrade only: the variants it upgrades from. */
  fromVariants: Picked[];
  priceType: PriceType;
  percent: string;
  /** Price amounts per currency, for amount_off and fixed. */
  amounts: Record<string, string>;
  headline: string;
  reason: string;
  badge: string;
  benefits: string;
  windowMinutes: string;
  maxQuantity: string;
  /** `<input type="datetime-local">` values, local time; "" = open-ended. */
  startsAt: string;
  endsAt: string;
  /** Bump only: the A/B variants (none = no test). */
  variants: VariantForm[];
};

export function emptyRuleForm(kind: RuleKind): RuleForm {
  return {
    kind,
    name: "",
    enabled: true,
    priority: "0",
    channels: [],
    triggerVariants: [],
    triggerProducts: [],
    triggerCategories: [],
    triggerCollections: [],
    minSubtotal: {},
    offerVariant: null,
    fromVariants: [],
    priceType: "percent_off",
    percent: "15",
    amounts: {},
    headline: "",
    reason: "",
    badge: "",
    benefits: "",
    windowMinutes: "15",
    maxQuantity: "1",
    startsAt: "",
    endsAt: "",
    variants: [],
  };
}

export function hasItemTrigger(form: RuleForm): boolean {
  return (
    form.triggerVariants.length + form.triggerProducts.length + form.triggerCategories.length + form.triggerCollections.length > 0
  );
}

export function hasSubtotalTrigger(form: RuleForm): boolean {
  return Object.values(form.minSubtotal).some((value) => value.trim() !== "");
}

/**
 * The currencies a rule sells in: those of its channels, or of every channel when it has none, in the order
 * the channels are listed (so the money fields line up with the channel choices above them).
 */
export function currenciesFor(channelSlugs: string[], channels: { slug: string; currencyCode: string }[]): string[] {
  const chosen = channelSlugs.length ? channels.filter((c) => channelSlugs.includes(c.slug)) : channels;
  return [...new Set(chosen.map((c) => c.currencyCode))];
}

/** A datetime-local value ("2026-05-01T10:00") as an ISO instant, or null when empty/invalid. */
export function localToIso(value: string): string | null {
  if (!value.trim()) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An ISO instant as a datetime-local value in the browser's zone. */
export function isoToLocal(value: string | null | undefined): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
