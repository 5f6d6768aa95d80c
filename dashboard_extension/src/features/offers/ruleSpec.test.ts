import { describe, expect, it } from "vitest";

import { emptyRuleForm } from "./ruleForm";
import { describePrice, formToSpec, specToForm } from "./ruleSpec";

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
  it("says the price form in a few words", () => {
    expect(describePrice({ price: { type: "percent_off", percent: "15" } })).toBe("15% off");
    expect(describePrice({ price: { type: "fixed", amounts: { USD: "9.99" } } })).toBe("Fixed 9.99 USD");
    expect(describePrice({ price: { type: "free_gift" } })).toBe("Free gift");
  });
});
