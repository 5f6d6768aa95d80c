import { describe, expect, it } from "vitest";

import { currenciesFor } from "./ruleForm";

describe("currenciesFor", () => {
  const channels = [
    { slug: "usd", currencyCode: "USD" },
    { slug: "pln", currencyCode: "PLN" },
    { slug: "jpy", currencyCode: "JPY" },
    { slug: "usd-2", currencyCode: "USD" },
  ];
  it("lists the currencies in the order of the channels, each once", () => {
    expect(currenciesFor([], channels)).toEqual(["USD", "PLN", "JPY"]);
    expect(currenciesFor(["jpy", "usd"], channels)).toEqual(["USD", "JPY"]);
  });
});
