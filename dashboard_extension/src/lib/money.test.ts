import { describe, expect, it } from "vitest";

import { checkAmount, formatMoney } from "./money";

describe("formatMoney", () => {
  it.each([
    ["1.19", "USD", "en", "$1.19"],
    ["1.19", "USD", "de", "1,19\u00a0$"],
    ["1234.5", "EUR", "fr", "1\u202f234,50\u00a0€"],
    ["300", "JPY", "ja", "￥300"],
    ["1.5", "KWD", "en", "KWD\u00a01.500"],
    ["40", "PLN", "pl", "40,00\u00a0zł"],
  ])("%s %s in %s → %s", (amount, currency, locale, text) => {
    expect(formatMoney(amount, currency, locale)).toBe(text);
  });
  it("falls back to English for a locale Intl does not know, and to plain text for a bad currency", () => {
    expect(formatMoney("2", "USD", "not a locale!")).toBe("$2.00");
    expect(formatMoney("2", "US", "en")).toBe("2.00 US");
    expect(formatMoney("abc", "USD")).toBe("abc USD");
  });
});

describe("checkAmount", () => {
  it("allows the currency's decimals only", () => {
    expect(checkAmount("9.99", "USD")).toEqual({ ok: true, value: 9.99 });
    expect(checkAmount("9.5", "JPY")).toEqual({ ok: false, message: "JPY has no decimal places" });
  });
});
