import { describe, expect, it } from "vitest";

import { emptyRuleForm, type RuleForm } from "./ruleForm";
import { fieldOfServerPath, serverErrorsToFields, validatePercent, validateAmounts, validateRuleForm, validateWindow } from "./validation";

function validBump(patch: Partial<RuleForm> = {}): RuleForm {
  return {
    ...emptyRuleForm("bump"),
    name: "Case with phone",
    triggerProducts: [{ id: "UHJvZHVjdDox", label: "Phone" }],
    offerVariant: { id: "UHJvZHVjdFZhcmlhbnQ6Mg==", label: "Case" },
    headline: "Protect it",
    reason: "Fits exactly",
    ...patch,
  };
}

describe("validatePercent", () => {
  it.each(["0", "100", "-5", "150", "", "abc"])("refuses %s", (value) => {
    expect(validatePercent(value)).toBeDefined();
  });
  it.each(["0.5", "15", "99.9"])("accepts %s", (value) => {
    expect(validatePercent(value)).toBeUndefined();
  });
});

describe("validateAmounts", () => {
  it("needs an amount in every channel currency", () => {
    expect(validateAmounts({ USD: "5" }, ["PLN", "USD"])).toMatch(/^PLN/);
    expect(validateAmounts({ USD: "5", PLN: "20" }, ["PLN", "USD"])).toBeUndefined();
  });
  it("respects the currency's decimal places", () => {
    expect(validateAmounts({ JPY: "10.5" }, ["JPY"])).toMatch(/no decimal places/);
    expect(validateAmounts({ USD: "1.234" }, ["USD"])).toMatch(/2 decimal places/);
  });
  it("asks for a channel when there is no currency", () => {
    expect(validateAmounts({}, [])).toMatch(/channel/);
  });
});

describe("validateWindow", () => {
  it("wants the end after the start", () => {
    expect(validateWindow("2026-05-02T10:00", "2026-05-01T10:00").endsAt).toBe("Must be after the start");
    expect(validateWindow("2026-05-01T10:00", "2026-05-01T10:00").endsAt).toBe("Must be after the start");
    expect(validateWindow("2026-05-01T10:00", "2026-05-02T10:00")).toEqual({});
    expect(validateWindow("", "2026-05-02T10:00")).toEqual({});
  });
});

describe("validateRuleForm", () => {
  it("accepts a complete bump", () => {
    expect(validateRuleForm(validBump(), ["USD"])).toEqual({});
  });
  it("needs at least one trigger", () => {
    const errors = validateRuleForm(validBump({ triggerProducts: [] }), ["USD"]);
    expect(errors.trigger).toMatch(/at least one trigger/);
  });
  it("accepts a minimum subtotal alone as the trigger", () => {
    expect(validateRuleForm(validBump({ triggerProducts: [], minSubtotal: { USD: "50" } }), ["USD"])).toEqual({});
  });
  it("needs a fixed price in the channel currency", () => {
    const errors = validateRuleForm(validBump({ priceType: "fixed", amounts: {} }), ["JPY"]);
    expect(errors.amounts).toMatch(/^JPY: Enter an amount in JPY/);
  });
  it("refuses offering a variant that triggers the rule", () => {
    const errors = validateRuleForm(validBump({ triggerVariants: [{ id: "UHJvZHVjdFZhcmlhbnQ6Mg==", label: "Case" }] }), ["USD"]);
    expect(errors.offerVariant).toMatch(/already in the cart/);
  });
  it("checks upgrades' own fields", () => {
    const errors = validateRuleForm({ ...validBump(), kind: "upgrade", fromVariants: [], priceType: "free_gift" }, ["USD"]);
    expect(errors.fromVariants).toBeDefined();
    expect(errors.amounts).toMatch(/cannot be free/);
  });
  it("limits post-purchase benefits and window", () => {
    const errors = validateRuleForm(
      { ...validBump(), kind: "post_purchase", benefits: "a\nb\nc\nd\ne\nf\ng", windowMinutes: "0" },
      ["USD"],
    );
    expect(errors.benefits).toBe("At most 6 benefits");
    expect(errors.windowMinutes).toBeDefined();
  });
});

describe("server errors", () => {
  it("maps file-format paths onto editor fields", () => {
    expect(fieldOfServerPath("price.percent_off.percent")).toBe("percent");
    expect(fieldOfServerPath("price.fixed.amounts.JPY")).toBe("amounts");
    expect(fieldOfServerPath("trigger.min_subtotal.JPY")).toBe("minSubtotal");
    expect(fieldOfServerPath("trigger")).toBe("trigger");
    expect(fieldOfServerPath("copy.headline")).toBe("headline");
    expect(fieldOfServerPath("(rule)", "ends_at must be later than starts_at")).toBe("endsAt");
    expect(fieldOfServerPath("", "something else")).toBe("form");
  });
  it("joins several messages for one field", () => {
    expect(serverErrorsToFields([{ field: "name", message: "a" }, { field: "name", message: "b" }])).toEqual({ name: "a; b" });
  });
});
