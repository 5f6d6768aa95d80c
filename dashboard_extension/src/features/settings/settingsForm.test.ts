import { describe, expect, it } from "vitest";

import {
  dirtyChannels,
  formToSettingsInput,
  inChannelOrder,
  needsMoreThanTwo,
  sameSettings,
  settingsServerErrors,
  validateSettings,
  type SettingsForm,
} from "./settingsForm";

const base: SettingsForm = {
  mode: "INJECT",
  maxOffers: "1",
  allowMoreThanTwo: false,
  ceilingEnabled: true,
  ceilingPercent: "25",
  holdoutPercent: "10",
  allowAfterDeliveryMethod: false,
  postPurchaseAutoConfirm: false,
  socialProofMinOrders: "30",
  guardrailEnabled: true,
  guardrailMarginPoints: "0",
};

describe("channel settings", () => {
  it("accepts the defaults", () => expect(validateSettings(base)).toEqual({}));
  it("needs the deliberate flag above two offers", () => {
    expect(validateSettings({ ...base, maxOffers: "3" }).maxOffers).toMatch(/tick the box/);
    expect(validateSettings({ ...base, maxOffers: "3", allowMoreThanTwo: true })).toEqual({});
  });
  it("keeps holdout within 0-50 and the ceiling positive", () => {
    expect(validateSettings({ ...base, holdoutPercent: "60" }).holdoutPercent).toBeDefined();
    expect(validateSettings({ ...base, ceilingPercent: "0" }).ceilingPercent).toBeDefined();
    expect(validateSettings({ ...base, ceilingEnabled: false, ceilingPercent: "0" })).toEqual({});
  });
  it("keeps the guardrail margin within 0-20 points and sends the switch and margin", () => {
    expect(validateSettings({ ...base, guardrailMarginPoints: "21" }).guardrailMarginPoints).toBeDefined();
    expect(validateSettings({ ...base, guardrailMarginPoints: "-1" }).guardrailMarginPoints).toBeDefined();
    expect(validateSettings({ ...base, guardrailMarginPoints: "2.5" })).toEqual({});
    expect(formToSettingsInput({ ...base, guardrailEnabled: false, guardrailMarginPoints: " 3 " })).toMatchObject({ guardrailEnabled: false, guardrailMarginPoints: "3" });
    expect(settingsServerErrors([{ field: "guardrail_margin_points", message: "too big" }])).toEqual({ guardrailMarginPoints: "too big" });
  });
  it("needs a whole, positive minimum sample for social proof", () => {
    expect(validateSettings({ ...base, socialProofMinOrders: "0" }).socialProofMinOrders).toBeDefined();
    expect(validateSettings({ ...base, socialProofMinOrders: "2.5" }).socialProofMinOrders).toBeDefined();
    expect(formToSettingsInput({ ...base, socialProofMinOrders: "50" }).socialProofMinOrders).toBe(50);
  });
  it("sends null to remove the ceiling", () => {
    expect(formToSettingsInput({ ...base, ceilingEnabled: false }).priceCeilingPercent).toBeNull();
  });
  it("maps server errors", () => {
    expect(settingsServerErrors([{ field: "holdout_percent", message: "too big" }])).toEqual({ holdoutPercent: "too big" });
  });
});

describe("settings page bookkeeping", () => {
  const channel = (slug: string, name: string, currencyCode: string) => ({ slug, name, currencyCode, isActive: true });
  const saved = (channelSlug: string, isDefault = false) => ({
    channel: channelSlug, mode: "OFFER" as const, maxOffersPerCheckout: 1, allowMoreThanTwo: false, priceCeilingPercent: "25",
    holdoutPercent: "0", allowAfterDeliveryMethod: false, postPurchaseAutoConfirm: false, socialProofMinOrders: 30, guardrailEnabled: true, guardrailMarginPoints: "0", isDefault,
    defaultModeReason: null,
  });

  it("lists settings in the order of the channels, unknown channels last", () => {
    const channels = [channel("usd", "US", "USD"), channel("pln", "PL", "PLN"), channel("jpy", "JP", "JPY")];
    const settings = [saved("pln"), saved("gone"), saved("usd", true), saved("jpy", true)];
    expect(inChannelOrder(channels, settings).map((entry) => entry.slug)).toEqual(["usd", "pln", "jpy", "gone"]);
    expect(inChannelOrder(channels, settings)[3]?.channel).toBeUndefined();
  });

  it("finds the channels with unsaved changes, ignoring edits that send the same input", () => {
    const stored = { usd: base, pln: base };
    expect(dirtyChannels(["usd", "pln"], { usd: base, pln: { ...base } }, stored)).toEqual([]);
    expect(dirtyChannels(["usd", "pln"], { usd: { ...base, maxOffers: " 1 " }, pln: { ...base, holdoutPercent: "5" } }, stored)).toEqual(["pln"]);
    expect(sameSettings({ ...base, ceilingEnabled: false, ceilingPercent: "25" }, { ...base, ceilingEnabled: false, ceilingPercent: "40" })).toBe(true);
  });

  it("asks for the more-than-two confirmation only above two offers", () => {
    expect(needsMoreThanTwo({ ...base, maxOffers: "2" })).toBe(false);
    expect(needsMoreThanTwo({ ...base, maxOffers: "3" })).toBe(true);
    expect(needsMoreThanTwo({ ...base, maxOffers: "" })).toBe(false);
  });
});
