import { describe, expect, it } from "vitest";

import { describeOrderOffer } from "./OrderWidget";

describe("order widget lines", () => {
  it("names the offer, the rule and what happened, with the money in the user's locale", () => {
    const event = {
      kind: "converted",
      offerType: "bump",
      ruleId: "7",
      ruleName: "Juice with every tee",
      amount: { amount: "1.19", currency: "USD" },
      occurredAt: "2026-11-25T12:00:00+00:00",
      amountDue: null,
    };
    expect(describeOrderOffer(event)).toBe("Order bump “Juice with every tee” bought · $1.19");
    expect(describeOrderOffer({ ...event, amount: { amount: "1234.5", currency: "EUR" } }, "de")).toBe(
      "Order bump “Juice with every tee” bought · 1.234,50\u00a0€",
    );
  });
  it("survives a deleted rule and a missing amount", () => {
    const line = describeOrderOffer({ kind: "declined", offerType: "post_purchase", ruleId: null, ruleName: null, amount: null, occurredAt: "", amountDue: null });
    expect(line).toBe("Post-purchase offer “a deleted rule” declined");
  });
  it("shows what a same-order post-purchase add-on still has to collect", () => {
    const money = { amount: "1.19", currency: "USD" };
    const line = describeOrderOffer({ kind: "accepted", offerType: "post_purchase", ruleId: "3", ruleName: "Juice after a tee", amount: money, occurredAt: "", amountDue: money });
    expect(line).toBe("Post-purchase offer “Juice after a tee” accepted · $1.19 · $1.19 still to collect");
  });
});
