import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithApp, scriptedApi } from "../test/providers";
import { PriceTag } from "./PriceTag";

describe("PriceTag", () => {
  it("formats the price and the struck-through regular price in the dashboard user's locale", () => {
    renderWithApp(<PriceTag price={{ amount: "8.5", currency: "EUR" }} regular={{ amount: "10", currency: "EUR" }} />, {
      api: scriptedApi({}),
      locale: "de",
    });
    expect(screen.getByTestId("offer-price").textContent).toBe("8,50\u00a0€");
    expect(screen.getByTestId("regular-price").textContent).toBe("10,00\u00a0€");
  });
});
