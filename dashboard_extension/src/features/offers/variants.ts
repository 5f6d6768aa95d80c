/**
 * A bump rule's A/B variants in the editor: strings as typed, to and from the rule file format's `variants`
 * (saleor_upsell_app/engine/spec.py BumpVariant), and the client checks mirroring the server's. A variant
 * changes only what it sets; an empty field means "the rule's own" (offer, price or copy).
 */
import type { PriceType } from "./ruleForm";
import { validateAmounts, validatePercent } from "./validation";

/** "" = the rule's own price. */
export type VariantPriceType = PriceType | "";

export type VariantForm = {
  name: string;
  weight: string;
  /** Saleor global id of the offered variant; "" = the rule's offer. */
  offerVariantId: string;
  /** Name of the variant picked from the catalogue (shown only; not in the spec). */
  offerLabel: string;
  priceType: VariantPriceType;
  percent: string;
  amounts: Record<string, string>;
  /** Copy: headline and reason together, or both empty for the rule's copy. */
  headline: string;
  reason: string;
  badge: string;
};

export type VariantErrors = Partial<Record<keyof VariantForm, string>>;

/** The server's limits (BumpRuleSpec.variants, BumpVariant). */
export const MAX_VARIANTS = 6;
export const MAX_WEIGHT = 1000;
const RESERVED = ["holdout", "offers"];
const NAME = /^[A-Za-z0-9 _.-]{1,24}$/;

/** A new variant named after the first free letter (A, B, C…), weight 1, changing nothing yet. */
export function emptyVariant(existing: VariantForm[]): VariantForm {
  const taken = new Set(existing.map((v) => v.name.trim().toLowerCase()));
  const name = "ABCDEFGHIJ".split("").find((letter) => !taken.has(letter.toLowerCase())) ?? `V${existing.length + 1}`;
  return { name, weight: "1", offerVariantId: "", offerLabel: "", priceType: "", percent: "15", amounts: {}, headline: "", reason: "", badge: "" };
}

type Json = { [key: string]: unknown };

function amountsOf(values: Record<string, string>, currencies?: string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .map(([currency, amount]) => [currency, amount.trim()] as const)
      .filter(([currency, amount]) => amount !== "" && (!currencies || currencies.includes(currency))),
  );
}

function variantPrice(variant: VariantForm, currencies?: string[]): Json | null {
  switch (variant.priceType) {
    case "":
      return null;
    case "percent_off":
      return { type: "percent_off", percent: variant.percent.trim() };
    case "amount_off":
    case "fixed":
      return { type: variant.priceType, amounts: amountsOf(variant.amounts, currencies) };
    case "free_gift":
      return { type: "free_gift" };
  }
}

const hasCopy = (variant: VariantForm) => Boolean(variant.headline.trim() || variant.reason.trim() || variant.badge.trim());

/** The spec's `variants` list (omitted overrides are null: the rule's own). */
export function variantsToSpec(variants: VariantForm[], currencies?: string[]): Json[] {
  return variants.map((variant) => ({
    name: variant.name.trim(),
    weight: Number(variant.weight.trim()),
    offer_variant_id: variant.offerVariantId.trim() || null,
    price: variantPrice(variant, currencies),
    copy: hasCopy(variant)
      ? { headline: variant.headline.trim(), reason: variant.reason.trim(), badge: variant.badge.trim() || null }
      : null,
  }));
}

const text = (value: unknown): string => (value === null || value === undefined ? "" : String(value));
const object = (value: unknown): Json => (value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

/** A stored spec's `variants` as editor state (anything not a list: no variants). */
export function variantsFromSpec(value: unknown): VariantForm[] {
  if (!Array.isArray(value)) return [];
  return value.map((raw) => {
    const item = object(raw);
    const price = object(item.price);
    const copy = object(item.copy);
    return {
      name: text(item.name),
      weight: text(item.weight ?? 1),
      offerVariantId: text(item.offer_variant_id),
      offerLabel: "",
      priceType: text(price.type) as VariantPriceType,
      percent: price.type === "percent_off" ? text(price.percent) : "15",
      amounts: Object.fromEntries(Object.entries(object(price.amounts)).map(([currency, amount]) => [currency, text(amount)])),
      headline: text(copy.headline),
      reason: text(copy.reason),
      badge: text(copy.badge),
    };
  });
}

/** Per-variant field errors (same order as `variants`) and what is wrong with the test as a whole. */
export function validateVariants(
  variants: VariantForm[],
  currencies: string[],
  triggerVariantIds: string[] = [],
): { fields: VariantErrors[]; overall?: string } {
  const names = variants.map((v) => v.name.trim().toLowerCase());
  const fields = variants.map((variant, index) => {
    const errors: VariantErrors = {};
    const name = variant.name.trim();
    if (!NAME.test(name)) errors.name = "1–24 letters, digits, spaces, _ . -";
    else if (RESERVED.includes(name.toLowerCase())) errors.name = `“${name}” is reserved; use e.g. A or B`;
    else if (names.indexOf(name.toLowerCase()) !== index) errors.name = "Another variant has this name";
    const weight = variant.weight.trim();
    if (!/^\d+$/.test(weight) || Number(weight) > MAX_WEIGHT) errors.weight = `A whole number from 0 to ${MAX_WEIGHT}`;
    const offer = variant.offerVariantId.trim();
    if (offer && triggerVariantIds.includes(offer)) errors.offerVariantId = "A variant already in the cart is never offered";
    if (variant.priceType === "percent_off") errors.percent = validatePercent(variant.percent);
    if (variant.priceType === "amount_off" || variant.priceType === "fixed") errors.amounts = validateAmounts(variant.amounts, currencies);
    if (hasCopy(variant)) {
      if (!variant.headline.trim()) errors.headline = "A headline, or leave the copy empty for the rule's";
      else if (variant.headline.trim().length > 120) errors.headline = "At most 120 characters";
      if (!variant.reason.trim()) errors.reason = "A reason, or leave the copy empty for the rule's";
      else if (variant.reason.trim().length > 280) errors.reason = "At most 280 characters";
      if (variant.badge.trim().length > 24) errors.badge = "At most 24 characters";
    }
    return Object.fromEntries(Object.entries(errors).filter(([, message]) => message)) as VariantErrors;
  });
  let overall: string | undefined;
  if (variants.length === 1) overall = "An A/B test needs at least two variants (or remove this one)";
  else if (variants.length > MAX_VARIANTS) overall = `At most ${MAX_VARIANTS} variants`;
  else if (variants.length > 1 && fields.every((f) => !f.weight) && variants.every((v) => Number(v.weight.trim()) === 0)) {
    overall = "At least one variant needs a weight above 0";
  }
  return { fields, overall };
}

/** One message for the editor's error summary, or undefined when the variants are fine. */
export function variantsError(variants: VariantForm[], currencies: string[], triggerVariantIds: string[] = []): string | undefined {
  const { fields, overall } = validateVariants(variants, currencies, triggerVariantIds);
  if (overall) return overall;
  const bad = variants.filter((_, index) => Object.keys(fields[index] ?? {}).length > 0).map((v) => v.name.trim() || "unnamed");
  return bad.length ? `Check variant ${bad.join(", ")}` : undefined;
}
