/**
 * Converting between the editor's form and the rule file format the API takes (`spec`, snake_case, the
 * same JSON as `saleor-upsell rules import`). See saleor_upsell_app/offers/spec.py for the format.
 */
import { localToIso, isoToLocal, emptyRuleForm, type Picked, type PriceType, type RuleForm, type RuleKind } from "./ruleForm";
import { formatMoney } from "../../lib/money";
import { splitLines } from "./validation";
import { variantsFromSpec, variantsToSpec } from "./variants";

export type JsonObject = { [key: string]: unknown };

function amountsOf(values: Record<string, string>, currencies?: string[]): Record<string, string> {
  const entries = Object.entries(values)
    .map(([currency, amount]) => [currency, amount.trim()] as const)
    .filter(([currency, amount]) => amount !== "" && (!currencies || currencies.includes(currency)));
  return Object.fromEntries(entries);
}

export function priceSpec(form: RuleForm, currencies?: string[]): JsonObject {
  switch (form.priceType) {
    case "percent_off":
      return { type: "percent_off", percent: form.percent.trim() };
    case "amount_off":
      return { type: "amount_off", amounts: amountsOf(form.amounts, currencies) };
    case "fixed":
      return { type: "fixed", amounts: amountsOf(form.amounts, currencies) };
    case "free_gift":
      return { type: "free_gift" };
  }
}

const ids = (items: Picked[]) => items.map((item) => item.id);

function triggerSpec(form: RuleForm): JsonObject {
  const minSubtotal = amountsOf(form.minSubtotal);
  return {
    variant_ids: ids(form.triggerVariants),
    product_ids: ids(form.triggerProducts),
    category_ids: ids(form.triggerCategories),
    collection_ids: ids(form.triggerCollections),
    min_subtotal: Object.keys(minSubtotal).length ? minSubtotal : null,
    channels: form.channels,
  };
}

function commonSpec(form: RuleForm): JsonObject {
  return {
    kind: form.kind,
    name: form.name.trim(),
    enabled: form.enabled,
    priority: Number(form.priority.trim() || "0"),
    starts_at: localToIso(form.startsAt),
    ends_at: localToIso(form.endsAt),
  };
}

/** The spec to send to ruleCreate / ruleUpdate / rulePreview. `currencies` limits money to those in use. */
export function formToSpec(form: RuleForm, currencies?: string[]): JsonObject {
  const base = commonSpec(form);
  const price = priceSpec(form, currencies);
  const offered = form.offerVariant?.id ?? "";
  if (form.kind === "upgrade") {
    return {
      ...base,
      from_variant_ids: ids(form.fromVariants),
      to_variant_id: offered,
      price,
      copy: copyOf(form),
      channels: form.channels,
    };
  }
  if (form.kind === "post_purchase") {
    return {
      ...base,
      trigger: triggerSpec(form),
      offer_variant_id: offered,
      price,
      copy: { headline: form.headline.trim(), benefits: splitLines(form.benefits), show_value_comparison: true },
      window_minutes: Number(form.windowMinutes),
    };
  }
  return {
    ...base,
    trigger: triggerSpec(form),
    offer_variant_id: offered,
    price,
    copy: copyOf(form),
    max_quantity: Number(form.maxQuantity),
    ...(form.variants.length ? { variants: variantsToSpec(form.variants, currencies) } : {}),
  };
}

function copyOf(form: RuleForm): JsonObject {
  return { headline: form.headline.trim(), reason: form.reason.trim(), badge: form.badge.trim() || null };
}

// ------------------------------------------------------------------ back: a stored spec into the form

const asString = (value: unknown): string => (value === null || value === undefined ? "" : String(value));
const asObject = (value: unknown): JsonObject => (value && typeof value === "object" ? (value as JsonObject) : {});
const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** What the catalogue says about a saved id: its name and thumbnail. */
export type ItemName = { label: string; imageUrl?: string | null };
export type SavedLabels = Record<string, string | ItemName>;

function pick(id: string, labels: SavedLabels): Picked {
  const known = labels[id];
  if (known === undefined) return { id, label: id };
  return typeof known === "string" ? { id, label: known } : { id, label: known.label, imageUrl: known.imageUrl ?? null };
}

function picked(idsValue: unknown, labels: SavedLabels): Picked[] {
  return asList(idsValue).map((id) => pick(id, labels));
}

/** The product and variant ids a stored spec holds (to look their names up), without duplicates. */
export function savedItemIds(spec: JsonObject): string[] {
  const trigger = asObject(spec.trigger);
  const all = [
    ...asList(trigger.product_ids),
    ...asList(trigger.variant_ids),
    ...asList(spec.from_variant_ids),
    asString(spec.offer_variant_id),
    asString(spec.to_variant_id),
  ];
  return [...new Set(all.filter(Boolean))];
}

/** The category and collection ids of a stored spec's trigger. */
export function savedGroupIds(spec: JsonObject): string[] {
  const trigger = asObject(spec.trigger);
  return [...asList(trigger.category_ids), ...asList(trigger.collection_ids)];
}

function amountsFrom(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asObject(value)).map(([currency, amount]) => [currency, asString(amount)]));
}

/** A stored rule's spec as editor state. `labels` names known ids (else the id itself is shown). */
export function specToForm(spec: JsonObject, labels: SavedLabels = {}): RuleForm {
  const kind = (asString(spec.kind) || "bump") as RuleKind;
  const form = emptyRuleForm(kind);
  const price = asObject(spec.price);
  const copy = asObject(spec.copy);
  const trigger = asObject(spec.trigger);
  const offered = asString(kind === "upgrade" ? spec.to_variant_id : spec.offer_variant_id);
  return {
    ...form,
    name: asString(spec.name),
    enabled: spec.enabled !== false,
    priority: asString(spec.priority ?? 0),
    channels: asList(kind === "upgrade" ? spec.channels : trigger.channels),
    triggerVariants: picked(trigger.variant_ids, labels),
    triggerProducts: picked(trigger.product_ids, labels),
    triggerCategories: picked(trigger.category_ids, labels),
    triggerCollections: picked(trigger.collection_ids, labels),
    minSubtotal: amountsFrom(trigger.min_subtotal),
    offerVariant: offered ? pick(offered, labels) : null,
    fromVariants: picked(spec.from_variant_ids, labels),
    priceType: (asString(price.type) || "percent_off") as PriceType,
    percent: asString(price.percent),
    amounts: amountsFrom(price.amounts),
    headline: asString(copy.headline),
    reason: asString(copy.reason),
    badge: asString(copy.badge),
    benefits: asList(copy.benefits).join("\n"),
    windowMinutes: String(windowMinutesOf(spec)),
    maxQuantity: asString(spec.max_quantity ?? 1),
    startsAt: isoToLocal(asString(spec.starts_at) || null),
    endsAt: isoToLocal(asString(spec.ends_at) || null),
    variants: kind === "bump" ? variantsFromSpec(spec.variants) : [],
  };
}

/** "15% off", "Fixed $9.00", "Free gift": the price form in a few words, money in `locale`. */
export function describePrice(spec: JsonObject, locale = "en"): string {
  const price = asObject(spec.price);
  const amounts = Object.entries(asObject(price.amounts))
    .map(([currency, amount]) => formatMoney(asString(amount), currency, locale))
    .join(" / ");
  switch (price.type) {
    case "percent_off":
      return `${asString(price.percent)}% off`;
    case "amount_off":
      return `${amounts} off`;
    case "fixed":
      return `Fixed ${amounts}`;
    case "free_gift":
      return "Free gift";
    default:
      return "—";
  }
}

/** Names of catalogue items by id, when known (the named-items lookup fills it; ids are counted otherwise). */
export type ItemNames = Readonly<Record<string, string>>;

function countOrNames(ids: string[], singular: string, plural: string, names: ItemNames): string | null {
  if (!ids.length) return null;
  const named = ids.map((id) => names[id]).filter((name): name is string => Boolean(name));
  if (named.length === ids.length && ids.length <= 2) return named.join(", ");
  return `${ids.length} ${ids.length === 1 ? singular : plural}`;
}

/**
 * What makes a rule fire, in a few words: "Cart has 2 products or 1 category", "subtotal at least $50.00",
 * "Upgrades 3 variants". With `names`, one or two items are named instead of counted.
 */
export function describeTrigger(spec: JsonObject, locale = "en", names: ItemNames = {}): string {
  if (spec.kind === "upgrade") {
    const from = countOrNames(asList(spec.from_variant_ids), "variant", "variants", names);
    return from ? `Upgrades ${from}` : "—";
  }
  const trigger = asObject(spec.trigger);
  const items = [
    countOrNames(asList(trigger.product_ids), "product", "products", names),
    countOrNames(asList(trigger.variant_ids), "variant", "variants", names),
    countOrNames(asList(trigger.category_ids), "category", "categories", names),
    countOrNames(asList(trigger.collection_ids), "collection", "collections", names),
  ].filter((part): part is string => part !== null);
  const subtotal = Object.entries(asObject(trigger.min_subtotal))
    .map(([currency, amount]) => formatMoney(asString(amount), currency, locale))
    .join(" / ");
  const cart = items.length ? `Cart has ${items.join(" or ")}` : "";
  if (cart && subtotal) return `${cart}, subtotal at least ${subtotal}`;
  if (subtotal) return `Subtotal at least ${subtotal}`;
  return cart || "Any cart";
}

/** How long a post-purchase offer stays open: "15 min", "2 h", "1 h 30 min", "1 day". */
export function formatWindow(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes <= 0) return "—";
  if (minutes % 1440 === 0) return `${minutes / 1440} ${minutes === 1440 ? "day" : "days"}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (!hours) return `${rest} min`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** A stored rule's post-purchase window in minutes (the spec's default is 15). */
export function windowMinutesOf(spec: JsonObject): number {
  return Number(spec.window_minutes ?? 15);
}
