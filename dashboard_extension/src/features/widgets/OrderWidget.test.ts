import { describe, expect, it } from "vitest";

import { describeOrderOffer } from "./OrderWidget";

describe("order widget lines", () => {
  it("names the offer, the rule and what happened", () => {
    const line = describeOrderOffer({
      kind: "converted",
      offerType: "bump",
      ruleId: "7",
      ruleName: "Juice with every tee",
      amount: { amount: "1.19", currency: "USD" },
      occurredAt: "2026-11-25T12:00:00+00:00",
    });
    expect(line).toBe("Order bump “Juice with every tee” bought · 1.19 USD");
  });
  it("survives a deleted rule and a missing amount", () => {
    const line = describeOrderOffer({ kind: "declined", offerType: "post_purchase", ruleId: null, ruleName: null, amount: null, occurredAt: "" });
    expect(line).toBe("Post-purchase offer “a deleted rule” declined");
  });
});
