import { describe, expect, it } from "vitest";

import { formToSettingsInput, settingsServerErrors, validateSettings, type SettingsForm } from "./settingsForm";

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
