import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithApp, scriptedApi } from "../../test/providers";
import { RulesPage } from "./RulesPage";

const channels = { channels: [{ slug: "default-channel", name: "Channel-USD", currencyCode: "USD", isActive: true }] };
const rule = (patch: Record<string, unknown>) => ({
  id: "1", kind: "BUMP", name: "Case", enabled: true, priority: 0, startsAt: null, endsAt: null, channels: [], offerVariantId: "V2",
  headline: "Protect it", createdAt: "", updatedAt: "", spec: {}, ...patch,
});
const bump = rule({
  spec: { kind: "bump", trigger: { product_ids: ["P1", "P2"], min_subtotal: { USD: "50" } }, offer_variant_id: "V2", price: { type: "percent_off", percent: "15" } },
});
const postPurchase = rule({
  id: "2", kind: "POST_PURCHASE", name: "Socks", enabled: false, channels: ["default-channel"],
  spec: { kind: "post_purchase", trigger: { variant_ids: ["V1"] }, offer_variant_id: "V3", price: { type: "fixed", amounts: { USD: "4" } }, window_minutes: 30 },
});
const preview = (variantName: string) => () => ({
  rulePreview: { variantName, imageUrl: null, price: { amount: "8.50", currency: "USD" }, regularPrice: { amount: "10.00", currency: "USD" }, cataloguePrice: null, ceilingBase: null, warnings: [], errors: [] },
});

describe("rules list", () => {
  it("says what each checkout rule offers and what triggers it", async () => {
    const api = scriptedApi({ Rules: () => ({ rules: [bump] }), Channels: () => channels, RulePreview: preview("Leather case") });
    renderWithApp(<RulesPage family="checkout" />, { api });
    const row = await screen.findByTestId("rule-row");
    const headers = within(screen.getByTestId("rule-table")).getAllByRole("columnheader").map((th) => th.textContent);
    expect(headers).toEqual(["Name", "Type", "Offers", "When", "Channels", "Status"]);
    expect(await within(row).findByText("Leather case")).toBeTruthy();
    expect(within(row).getByTestId("offer-price").textContent).toBe("$8.50");
    expect(within(row).getByText("15% off")).toBeTruthy();
    expect(within(row).getByTestId("trigger").textContent).toBe("Cart has 2 products, subtotal at least $50.00");
    expect(within(row).getByText("All channels")).toBeTruthy();
  });

  it("shows post-purchase rules without a Type column, with the offer window, and a labelled status switch", async () => {
    const api = scriptedApi({
      Rules: () => ({ rules: [postPurchase] }),
      Channels: () => channels,
      RulePreview: preview("Wool socks"),
      RuleSetEnabled: ({ id, enabled }) => ({ ruleSetEnabled: { rule: { ...postPurchase, id, enabled }, errors: [] } }),
    });
    const { dispatched } = renderWithApp(<RulesPage family="postPurchase" />, { api, path: "/dashboard/post-purchase" });
    const row = await screen.findByTestId("rule-row");
    const headers = within(screen.getByTestId("rule-table")).getAllByRole("columnheader").map((th) => th.textContent);
    expect(headers).toEqual(["Name", "Offers", "When", "Open for", "Channels", "Status"]);
    expect(within(row).getByTestId("offer-window").textContent).toBe("30 min after the order");
    expect(within(row).getByText("Channel-USD")).toBeTruthy();
    const toggle = within(row).getByRole("switch");
    expect(toggle.getAttribute("aria-checked")).toBe("false");
    expect(toggle.getAttribute("aria-label")).toBe("Socks: paused, click to turn on");
    expect(within(row).getByText("Paused")).toBeTruthy();
    fireEvent.click(toggle);
    await waitFor(() => expect(api.calls.some((c) => c.operation === "RuleSetEnabled" && c.variables.enabled === true)).toBe(true));
    await waitFor(() => expect(dispatched.some((a) => a.type === "notification" && a.payload.title === "“Socks” is on")).toBe(true));
  });
});
