import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithApp, scriptedApi } from "../../../test/providers";
import { RuleEditorPage } from "../RuleEditorPage";

const channels = { channels: [{ slug: "default-channel", name: "Channel-USD", currencyCode: "USD", isActive: true }] };
const spec = {
  kind: "bump",
  name: "Case",
  trigger: { product_ids: ["UHJvZHVjdDox"], channels: ["default-channel"] },
  offer_variant_id: "UHJvZHVjdFZhcmlhbnQ6Mg==",
  price: { type: "percent_off", percent: "15" },
  copy: { headline: "Protect it", reason: "Fits" },
  variants: [
    { name: "A", weight: 1 },
    { name: "B", weight: 1, price: { type: "percent_off", percent: "25" }, copy: { headline: "Keep it safe", reason: "Shock-proof" } },
  ],
};

function setup() {
  const api = scriptedApi({
    Channels: () => channels,
    Rule: () => ({
      rule: {
        id: "5", kind: "BUMP", name: "Case", enabled: true, priority: 0, startsAt: null, endsAt: null, channels: ["default-channel"],
        offerVariantId: spec.offer_variant_id, headline: "Protect it", createdAt: "", updatedAt: "", spec,
      },
    }),
    RulePreview: () => ({ rulePreview: { variantName: "Case", imageUrl: null, price: null, regularPrice: null, cataloguePrice: null, ceilingBase: null, warnings: [], errors: [] } }),
    CatalogSearch: () => ({
      catalogSearch: [
        {
          id: "UHJvZHVjdDo5", name: "Sleeve", thumbnail: null,
          variants: [{ id: "UHJvZHVjdFZhcmlhbnQ6OQ==", name: "Sleeve", sku: null, price: { amount: "5.00", currency: "USD" }, regularPrice: { amount: "5.00", currency: "USD" }, quantityAvailable: 3 }],
        },
      ],
    }),
    RuleUpdate: ({ spec: sent }) => ({ ruleUpdate: { rule: { id: "5", name: (sent as { name: string }).name }, errors: [] } }),
  });
  renderWithApp(<RuleEditorPage family="checkout" ruleId="5" />, { api, path: "/dashboard/offers/5" });
  return api;
}

const input = (name: string) => screen.getByTestId(`field-${name}`).querySelector("input") ?? screen.getByTestId(`field-${name}`);
const sentSpecs = (api: ReturnType<typeof setup>) => api.calls.filter((c) => c.operation === "RuleUpdate").map((c) => c.variables.spec as Record<string, unknown>);

describe("VariantsSection", () => {
  it("shows a stored rule's variants, edits, adds and removes them, and saves them in the spec", async () => {
    const api = setup();
    await screen.findByTestId("variant-1");
    expect((input("variant-1-headline") as HTMLInputElement).value).toBe("Keep it safe");
    expect((input("variant-1-percent") as HTMLInputElement).value).toBe("25");
    expect(screen.getByTestId("variants-help").textContent).toMatch(/keeps the\s+rule's own offer, price or copy/);

    fireEvent.change(input("variant-1-weight"), { target: { value: "3" } });
    fireEvent.click(screen.getByTestId("add-variant"));
    fireEvent.change(input("variant-2-offerVariantId"), { target: { value: "UHJvZHVjdFZhcmlhbnQ6Nw==" } });
    fireEvent.click(screen.getByTestId("remove-variant-0"));
    expect(screen.queryByTestId("variant-2")).toBeNull();

    fireEvent.click(screen.getByTestId("save-rule"));
    await waitFor(() => expect(sentSpecs(api)).toHaveLength(1));
    expect(sentSpecs(api)[0]?.variants).toEqual([
      { name: "B", weight: 3, offer_variant_id: null, price: { type: "percent_off", percent: "25" }, copy: { headline: "Keep it safe", reason: "Shock-proof", badge: null } },
      { name: "C", weight: 1, offer_variant_id: "UHJvZHVjdFZhcmlhbnQ6Nw==", price: null, copy: null },
    ]);
  });

  it("fills a variant's offer from the catalogue picker", async () => {
    setup();
    await screen.findByTestId("variant-0");
    const picker = screen.getByTestId("variant-0-picker");
    const box = (picker.querySelector("input") ?? picker) as HTMLInputElement;
    fireEvent.focus(box);
    fireEvent.change(box, { target: { value: "Sle" } });
    fireEvent.click(await screen.findByText(/Sleeve · \$5\.00/, {}, { timeout: 3000 }));
    expect((input("variant-0-offerVariantId") as HTMLInputElement).value).toBe("UHJvZHVjdFZhcmlhbnQ6OQ==");
    expect(screen.getByText("Offering: Sleeve")).toBeTruthy();
  });

  it("blocks the save on a negative weight and says so next to the field", async () => {
    const api = setup();
    await screen.findByTestId("variant-0");
    fireEvent.change(input("variant-0-weight"), { target: { value: "-1" } });
    fireEvent.click(screen.getByTestId("save-rule"));
    expect(await screen.findByText("A whole number from 0 to 1000")).toBeTruthy();
    expect(screen.getByTestId("error-variants").textContent).toBe("Check variant A");
    expect(sentSpecs(api)).toHaveLength(0);
  });

  it("starts a test with two variants on a bump rule", async () => {
    const api = scriptedApi({ Channels: () => channels });
    renderWithApp(<RuleEditorPage family="checkout" />, { api, path: "/dashboard/offers/new" });
    fireEvent.click(await screen.findByText("Start an A/B test"));
    expect(screen.getByTestId("variant-0")).toBeTruthy();
    expect(screen.getByTestId("variant-1")).toBeTruthy();
    expect((input("variant-1-name") as HTMLInputElement).value).toBe("B");
  });
});
