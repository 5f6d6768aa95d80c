/**
 * Channel settings form: strings as typed, validation mirroring ChannelSettingsSpec, the API input, and the
 * page's bookkeeping (channel order, which channels have unsaved changes).
 */
import type { ChannelSettingsInput } from "../../api/generated";
import type { ChannelFields, SettingsFields } from "../../api/types";

export type SettingsForm = {
  mode: "INJECT" | "OFFER";
  maxOffers: string;
  allowMoreThanTwo: boolean;
  ceilingEnabled: boolean;
  ceilingPercent: string;
  holdoutPercent: string;
  allowAfterDeliveryMethod: boolean;
  postPurchaseAutoConfirm: boolean;
  socialProofMinOrders: string;
  guardrailEnabled: boolean;
  guardrailMarginPoints: string;
};

export type SettingsErrors = Partial<
  Record<"maxOffers" | "ceilingPercent" | "holdoutPercent" | "socialProofMinOrders" | "guardrailMarginPoints" | "form", string>
>;

export function settingsToForm(settings: SettingsFields): SettingsForm {
  return {
    mode: settings.mode,
    maxOffers: String(settings.maxOffersPerCheckout),
    allowMoreThanTwo: settings.allowMoreThanTwo,
    ceilingEnabled: settings.priceCeilingPercent !== null,
    ceilingPercent: settings.priceCeilingPercent ?? "25",
    holdoutPercent: settings.holdoutPercent,
    allowAfterDeliveryMethod: settings.allowAfterDeliveryMethod,
    postPurchaseAutoConfirm: settings.postPurchaseAutoConfirm,
    socialProofMinOrders: String(settings.socialProofMinOrders),
    guardrailEnabled: settings.guardrailEnabled,
    guardrailMarginPoints: settings.guardrailMarginPoints,
  };
}

function number(raw: string): number | null {
  const text = raw.trim();
  return text !== "" && /^\d+(\.\d+)?$/.test(text) ? Number(text) : null;
}

export function validateSettings(form: SettingsForm): SettingsErrors {
  const errors: SettingsErrors = {};
  const max = /^\d+$/.test(form.maxOffers.trim()) ? Number(form.maxOffers) : null;
  if (max === null || max > 10) errors.maxOffers = "A whole number from 0 to 10";
  else if (max > 2 && !form.allowMoreThanTwo) errors.maxOffers = "More than 2 offers irritates shoppers; tick the box below to allow it knowingly";
  if (form.ceilingEnabled) {
    const ceiling = number(form.ceilingPercent);
    if (ceiling === null || ceiling <= 0 || ceiling > 1000) errors.ceilingPercent = "More than 0 and at most 1000";
  }
  const holdout = number(form.holdoutPercent);
  if (holdout === null || holdout > 50) errors.holdoutPercent = "From 0 to 50";
  const sample = /^\d+$/.test(form.socialProofMinOrders.trim()) ? Number(form.socialProofMinOrders) : null;
  if (sample === null || sample < 1) errors.socialProofMinOrders = "A whole number of orders, at least 1";
  const margin = number(form.guardrailMarginPoints);
  if (margin === null || margin > 20) errors.guardrailMarginPoints = "From 0 to 20 percentage points";
  return errors;
}

export function formToSettingsInput(form: SettingsForm): ChannelSettingsInput {
  return {
    mode: form.mode,
    maxOffersPerCheckout: Number(form.maxOffers),
    allowMoreThanTwo: form.allowMoreThanTwo,
    priceCeilingPercent: form.ceilingEnabled ? form.ceilingPercent.trim() : null,
    holdoutPercent: form.holdoutPercent.trim(),
    allowAfterDeliveryMethod: form.allowAfterDeliveryMethod,
    postPurchaseAutoConfirm: form.postPurchaseAutoConfirm,
    socialProofMinOrders: Number(form.socialProofMinOrders),
    guardrailEnabled: form.guardrailEnabled,
    guardrailMarginPoints: form.guardrailMarginPoints.trim(),
  };
}

const SERVER_FIELDS: [RegExp, keyof SettingsErrors][] = [
  [/max_?offers|maxOffers|more_than_two|moreThanTwo/i, "maxOffers"],
  [/ceiling/i, "ceilingPercent"],
  [/guardrail|margin/i, "guardrailMarginPoints"],
  [/holdout/i, "holdoutPercent"],
  [/social_?proof/i, "socialProofMinOrders"],
];

export function settingsServerErrors(errors: { field: string | null; message: string }[]): SettingsErrors {
  const result: SettingsErrors = {};
  for (const { field, message } of errors) {
    const target = SERVER_FIELDS.find(([pattern]) => pattern.test(`${field ?? ""} ${message}`))?.[1] ?? "form";
    result[target] = message;
  }
  return result;
}

/** Above this many offers per checkout the merchant must confirm (ChannelSettingsSpec's soft maximum). */
export const SOFT_MAX_OFFERS = 2;

/** True when the typed maximum needs the "more than two" confirmation (shown only then). */
export function needsMoreThanTwo(form: SettingsForm): boolean {
  const max = Number(form.maxOffers.trim());
  return Number.isInteger(max) && max > SOFT_MAX_OFFERS;
}

/** Two forms are the same when they would send the same input (so "25" typed over "25" is no change). */
export function sameSettings(a: SettingsForm, b: SettingsForm): boolean {
  return JSON.stringify(formToSettingsInput(a)) === JSON.stringify(formToSettingsInput(b));
}

export type ChannelEntry = { slug: string; channel: ChannelFields | undefined; settings: SettingsFields };

/**
 * Settings in the order of the shop's channels (the API lists saved ones first); settings of a channel
 * Saleor no longer lists come last.
 */
export function inChannelOrder(channels: ChannelFields[], settings: SettingsFields[]): ChannelEntry[] {
  const bySlug = new Map(settings.map((entry) => [entry.channel, entry]));
  const known = channels
    .filter((channel) => bySlug.has(channel.slug))
    .map((channel) => ({ slug: channel.slug, channel, settings: bySlug.get(channel.slug) as SettingsFields }));
  const listed = new Set(channels.map((channel) => channel.slug));
  const others = settings.filter((entry) => !listed.has(entry.channel)).map((entry) => ({ slug: entry.channel, channel: undefined, settings: entry }));
  return [...known, ...others];
}

/** The channels whose draft differs from what is saved, in `order`. */
export function dirtyChannels(order: string[], drafts: Record<string, SettingsForm>, saved: Record<string, SettingsForm>): string[] {
  return order.filter((slug) => {
    const draft = drafts[slug];
    const stored = saved[slug];
    return draft !== undefined && stored !== undefined && !sameSettings(draft, stored);
  });
}

export const MODE_LABEL: Record<SettingsForm["mode"], string> = {
  OFFER: "Offer (shopper opts in)",
  INJECT: "Inject (added to the cart)",
};
