import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { SuggestionFields } from "../../api/types";
import { renderWithApp, scriptedApi } from "../../test/providers";
import { SuggestionsPage } from "./SuggestionsPage";

const suggestion = (patch: Partial<SuggestionFields> = {}): SuggestionFields => ({
  id: "1", channel: "default-channel", level: "product", source: "mined",
  antecedentId: "UHJvZHVjdDoxMzQ=", consequentId: "UHJvZHVjdDoxMTA=",
  antecedent: { id: "UHJvZHVjdDoxMzQ=", name: "Monospace Tee", imageUrl: "http://saleor.test/media/tee.png" },
  consequent: { id: "UHJvZHVjdDoxMTA=", name: "Apple Juice", imageUrl: null },
  confidence: 0.62, reverseConfidence: 0.2,
  evidence: { support: 0.05, confidence: 0.62, reverse_confidence: 0.2, lift: 2.4 },
  status: "NEW", computedAt: "2026-12-01T00:00:00+00:00",
  ...patch,
});

describe("SuggestionsPage", () => {
  it("names the products with their pictures and shows both confidences, never raw ids", async () => {
    const api = scriptedApi({ Suggestions: () => ({ suggestions: [suggestion()] }) });
    renderWithApp(<SuggestionsPage />, { api, path: "/dashboard/suggestions" });
    const card = await screen.findByTestId("suggestion");
    expect(within(card).getAllByTestId("suggestion-item").map((e) => e.textContent)).toEqual(["Monospace Tee", "Apple Juice"]);
    expect(card.querySelector("img")?.getAttribute("src")).toBe("http://saleor.test/media/tee.png");
    expect(card.textContent).toContain("Monospace Tee → Apple Juice62%");
    expect(card.textContent).toContain("Apple Juice → Monospace Tee20%");
    expect(card.textContent).toContain("62% of orders with Monospace Tee also had Apple Juice");
    expect(card.textContent).not.toContain("UHJvZHVjdDoxMzQ=");
  });

  it("promises only what runs by itself", async () => {
    const api = scriptedApi({ Suggestions: () => ({ suggestions: [] }) });
    renderWithApp(<SuggestionsPage />, { api, path: "/dashboard/suggestions" });
    const empty = await screen.findByText("No suggestions yet");
    expect(empty.parentElement?.textContent).not.toContain("nightly");
    expect(empty.parentElement?.textContent).toContain("every day by itself");
  });
});
