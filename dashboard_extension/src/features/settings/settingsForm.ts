/** Channel settings form: strings as typed, validation mirroring ChannelSettingsSpec, and the API input. */
import type { ChannelSettingsInput } from "../../api/generated";
import type { SettingsFields } from "../../api/operations";

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
};

export type SettingsErrors = Partial<
  Record<"maxOffers" | "ceilingPercent" | "holdoutPercent" | "socialProofMinOrders" | "form", string>
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
  };
}

const SERVER_FIELDS: [RegExp, keyof SettingsErrors][] = [
  [/max_?offers|maxOffers|more_than_two|moreThanTwo/i, "maxOffers"],
  [/ceiling/i, "ceilingPercent"],
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
