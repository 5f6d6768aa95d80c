/**
 * Client-side checks of the rule editor, mirroring the server's rules (offers/spec.py) so a merchant sees
 * mistakes next to the field before saving. The server stays the authority: its field errors are mapped onto
 * the same field names by `fieldOfServerPath`.
 */
import { checkAmount } from "../../lib/money";
import { hasItemTrigger, hasSubtotalTrigger, localToIso, type RuleForm } from "./ruleForm";
import { variantsError } from "./variants";

export type FieldErrors = Partial<Record<RuleField, string>>;
export type RuleField =
  | "name"
  | "priority"
  | "trigger"
  | "minSubtotal"
  | "offerVariant"
  | "fromVariants"
  | "percent"
  | "amounts"
  | "headline"
  | "reason"
  | "badge"
  | "benefits"
  | "windowMinutes"
  | "maxQuantity"
  | "startsAt"
  | "endsAt"
  | "channels"
  | "variants"
  | "form";

/** 0 < percent < 100 (0 is no offer, 100 would be a free gift: use that price type instead). */
export function validatePercent(raw: string): string | undefined {
  const text = raw.trim();
  if (text === "") return "Enter a percentage";
  const value = Number(text);
  if (!Number.isFinite(value)) return "Enter a number between 0 and 100";
  if (value <= 0 || value >= 100) return "Must be more than 0 and less than 100";
  return undefined;
}

/** Every currency the rule sells in needs an amount (a rule never converts currencies). */
export function validateAmounts(amounts: Record<string, string>, currencies: string[]): string | undefined {
  if (currencies.length === 0) return "Choose a channel first: prices are set in the channel's currency";
  for (const currency of currencies) {
    const check = checkAmount(amounts[currency] ?? "", currency);
    if (!check.ok) return `${currency}: ${check.message}`;
  }
  return undefined;
}

export function validateWindow(startsAt: string, endsAt: string): { startsAt?: string; endsAt?: string } {
  const start = localToIso(startsAt);
  const end = localToIso(endsAt);
  if (startsAt.trim() && !start) return { startsAt: "Not a valid date and time" };
  if (endsAt.trim() && !end) return { endsAt: "Not a valid date and time" };
  if (start && end && new Date(end) <= new Date(start)) return { endsAt: "Must be after the start" };
  return {};
}

function validateInteger(raw: string, min: number, max: number): string | undefined {
  if (!/^-?\d+$/.test(raw.trim())) return "Enter a whole number";
  const value = Number(raw);
  if (value < min || value > max) return `Must be between ${min} and ${max}`;
  return undefined;
}

export function validateRuleForm(form: RuleForm, currencies: string[]): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.name.trim()) errors.name = "Give the offer a name you will recognise";
  errors.priority = validateInteger(form.priority, -1_000_000, 1_000_000);

  if (form.kind === "upgrade") {
    if (form.fromVariants.length === 0) errors.fromVariants = "Pick at least one variant to upgrade from";
    if (!form.offerVariant) errors.offerVariant = "Pick the premium variant";
    else if (form.fromVariants.some((v) => v.id === form.offerVariant?.id)) {
      errors.offerVariant = "The premium variant cannot also be upgraded from";
    }
  } else {
    if (!hasItemTrigger(form) && !hasSubtotalTrigger(form)) {
      errors.trigger = "Add at least one trigger: a product, variant, category, collection or a minimum subtotal";
    }
    if (hasSubtotalTrigger(form)) {
      for (const [currency, amount] of Object.entries(form.minSubtotal)) {
        if (!amount.trim()) continue;
        const check = checkAmount(amount, currency);
        if (!check.ok) {
          errors.minSubtotal = `${currency}: ${check.message}`;
          break;
        }
      }
    }
    if (!form.offerVariant) errors.offerVariant = "Pick the variant to offer";
    else if (form.triggerVariants.some((v) => v.id === form.offerVariant?.id)) {
      errors.offerVariant = "A variant already in the cart is never offered; pick another one";
    }
  }

  if (form.priceType === "percent_off") errors.percent = validatePercent(form.percent);
  if (form.priceType === "amount_off" || form.priceType === "fixed") errors.amounts = validateAmounts(form.amounts, currencies);
  if (form.priceType === "free_gift" && form.kind === "upgrade") errors.amounts = "An upgrade cannot be free";

  if (!form.headline.trim()) errors.headline = "Write the headline the shopper sees";
  else if (form.headline.trim().length > 120) errors.headline = "At most 120 characters";
  if (form.kind !== "post_purchase") {
    if (!form.reason.trim()) errors.reason = "Say why it pairs well (shown to the shopper)";
    else if (form.reason.trim().length > 280) errors.reason = "At most 280 characters";
    if (form.badge.trim().length > 24) errors.badge = "At most 24 characters";
  } else {
    const benefits = splitLines(form.benefits);
    if (benefits.length > 6) errors.benefits = "At most 6 benefits";
    else if (benefits.some((line) => line.length > 160)) errors.benefits = "Each benefit: at most 160 characters";
    errors.windowMinutes = validateInteger(form.windowMinutes, 1, 1440);
  }
  if (form.kind === "bump") errors.maxQuantity = validateInteger(form.maxQuantity, 1, 99);
  if (form.kind === "bump") errors.variants = variantsError(form.variants, currencies, form.triggerVariants.map((v) => v.id));

  Object.assign(errors, validateWindow(form.startsAt, form.endsAt));
  return prune(errors);
}

export function splitLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

function prune(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message)) as FieldErrors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

const SERVER_FIELDS: [RegExp, RuleField][] = [
  [/^variants/, "variants"],
  [/^name\b/, "name"],
  [/^priority\b/, "priority"],
  [/^(trigger\.)?min_?subtotal/i, "minSubtotal"],
  [/^trigger\.channels|^channels/, "channels"],
  [/^trigger/, "trigger"],
  [/^(offer_variant_id|offerVariantId|to_variant_id|toVariantId)/, "offerVariant"],
  [/^(from_variant_ids|fromVariantIds)/, "fromVariants"],
  [/^price\.(percent_off\.)?percent|^percent/, "percent"],
  [/^price|^amounts/, "amounts"],
  [/^copy\.headline|^headline/, "headline"],
  [/^copy\.reason|^reason/, "reason"],
  [/^copy\.badge|^badge/, "badge"],
  [/^copy\.benefits|^benefits/, "benefits"],
  [/^(window_minutes|windowMinutes)/, "windowMinutes"],
  [/^(max_quantity|maxQuantity)/, "maxQuantity"],
  [/^(starts_at|startsAt)/, "startsAt"],
  [/^(ends_at|endsAt)/, "endsAt"],
];

/** Which editor field a server error path ("price.percent_off.percent", "copy.headline"…) belongs to. */
export function fieldOfServerPath(path: string, message = ""): RuleField {
  const clean = path.replace(/^(input|rule|spec)\./, "");
  for (const [pattern, field] of SERVER_FIELDS) if (pattern.test(clean)) return field;
  if (/ends_at|ends after|later than/i.test(message)) return "endsAt";
  if (/trigger/i.test(message)) return "trigger";
  return "form";
}

export function serverErrorsToFields(errors: { field: string; message: string }[]): FieldErrors {
  const result: FieldErrors = {};
  for (const { field, message } of errors) {
    const target = fieldOfServerPath(field, message);
    result[target] = result[target] ? `${result[target]}; ${message}` : message;
  }
  return result;
}
