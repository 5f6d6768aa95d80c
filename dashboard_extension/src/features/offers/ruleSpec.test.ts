import { describe, expect, it } from "vitest";

import { emptyRuleForm } from "./ruleForm";
import { describePrice, describeTrigger, formatWindow, formToSpec, specToForm } from "./ruleSpec";

describe("formToSpec", () => {
  it("writes a bump in the rule file format", () => {
    const form = {
      ...emptyRuleForm("bump"),
      name: " Case ",
      channels: ["default-channel"],
      triggerProducts: [{ id: "UHJvZHVjdDox", label: "Phone" }],
      offerVariant: { id: "UHJvZHVjdFZhcmlhbnQ6Mg==", label: "Case" },
      priceType: "fixed" as const,
      amounts: { USD: "9.99", PLN: "40" },
      headline: "Protect it",
      reason: "Fits",
    };
    expect(formToSpec(form, ["USD"])).toEqual({
      kind: "bump",
      name: "Case",
      enabled: true,
      priority: 0,
      starts_at: null,
      ends_at: null,
      trigger: {
        variant_ids: [],
        product_ids: ["UHJvZHVjdDox"],
        category_ids: [],
        collection_ids: [],
        min_subtotal: null,
        channels: ["default-channel"],
      },
      offer_variant_id: "UHJvZHVjdFZhcmlhbnQ6Mg==",
      price: { type: "fixed", amounts: { USD: "9.99" } },
      copy: { headline: "Protect it", reason: "Fits", badge: null },
      max_quantity: 1,
    });
  });

  it("round-trips through specToForm", () => {
    const form = {
      ...emptyRuleForm("post_purchase"),
      name: "Socks",
      triggerVariants: [{ id: "UHJvZHVjdFZhcmlhbnQ6MQ==", label: "UHJvZHVjdFZhcmlhbnQ6MQ==" }],
      offerVariant: { id: "UHJvZHVjdFZhcmlhbnQ6Mg==", label: "UHJvZHVjdFZhcmlhbnQ6Mg==" },
      headline: "Add socks",
      benefits: "Warm\nSoft",
      windowMinutes: "30",
    };
    const back = specToForm(formToSpec(form));
    expect(back).toEqual({ ...form, priority: "0", percent: "15" });
  });
});

describe("describePrice", () => {
  it("says the price form in a few words, money in the user's locale", () => {
    expect(describePrice({ price: { type: "percent_off", percent: "15" } })).toBe("15% off");
    expect(describePrice({ price: { type: "fixed", amounts: { USD: "9.99" } } })).toBe("Fixed $9.99");
    expect(describePrice({ price: { type: "amount_off", amounts: { EUR: "2", JPY: "300" } } }, "de")).toBe("2,00\u00a0€ / 300\u00a0¥ off");
    expect(describePrice({ price: { type: "free_gift" } })).toBe("Free gift");
  });
});

describe("describeTrigger", () => {
  it("counts what must be in the cart and adds the minimum subtotal", () => {
    const spec = { kind: "bump", trigger: { product_ids: ["p1", "p2"], category_ids: ["c1"], min_subtotal: { USD: "50" } } };
    expect(describeTrigger(spec)).toBe("Cart has 2 products or 1 category, subtotal at least $50.00");
    expect(describeTrigger({ kind: "bump", trigger: { variant_ids: ["v1"] } })).toBe("Cart has 1 variant");
    expect(describeTrigger({ kind: "post_purchase", trigger: { min_subtotal: { PLN: "100", USD: "25" } } }, "pl")).toBe(
      "Subtotal at least 100,00\u00a0zł / 25,00\u00a0USD",
    );
    expect(describeTrigger({ kind: "bump", trigger: {} })).toBe("Any cart");
  });
  it("names one or two items when their names are known", () => {
    const spec = { kind: "bump", trigger: { product_ids: ["p1"], collection_ids: ["k1", "k2", "k3"] } };
    expect(describeTrigger(spec, "en", { p1: "Monospace Tee", k1: "Summer" })).toBe("Cart has Monospace Tee or 3 collections");
  });
  it("says what an upgrade replaces", () => {
    expect(describeTrigger({ kind: "upgrade", from_variant_ids: ["a", "b"] })).toBe("Upgrades 2 variants");
  });
});

describe("formatWindow", () => {
  it.each([
    [15, "15 min"],
    [60, "1 h"],
    [90, "1 h 30 min"],
    [1440, "1 day"],
    [0, "—"],
  ])("%i minutes → %s", (minutes, text) => expect(formatWindow(minutes)).toBe(text));
});
