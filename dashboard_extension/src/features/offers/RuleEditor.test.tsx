import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithApp, scriptedApi } from "../../test/providers";
import { RuleEditorPage } from "./RuleEditorPage";
import { RulesPage } from "./RulesPage";

const channels = { channels: [{ slug: "default-channel", name: "Channel-USD", currencyCode: "USD", isActive: true }] };

describe("RulesPage", () => {
  it("tells a new merchant what to do first", async () => {
    const api = scriptedApi({ Rules: () => ({ rules: [] }), Channels: () => channels });
    renderWithApp(<RulesPage family="checkout" />, { api });
    expect(await screen.findByText("Create your first order bump")).toBeTruthy();
    expect(screen.getByText("See suggestions")).toBeTruthy();
  });

  it("shows an error state with a retry", async () => {
    const api = scriptedApi({ Rules: () => { throw new Error("boom"); } });
    renderWithApp(<RulesPage family="checkout" />, { api });
    expect(await screen.findByRole("alert")).toBeTruthy();
    expect(screen.getByText("boom")).toBeTruthy();
  });
});

describe("RuleEditorPage", () => {
  it("shows validation errors next to the fields and sends nothing", async () => {
    const api = scriptedApi({ Channels: () => channels });
    const { dispatched } = renderWithApp(<RuleEditorPage family="checkout" />, { api, path: "/dashboard/offers/new" });
    fireEvent.click(await screen.findByTestId("save-rule"));
    expect(await screen.findByText("Give the offer a name you will recognise")).toBeTruthy();
    expect(screen.getByText(/Add at least one trigger/)).toBeTruthy();
    expect(screen.getByText("Pick the variant to offer")).toBeTruthy();
    expect(api.calls.some((c) => c.operation === "RuleCreate")).toBe(false);
    await waitFor(() => expect(dispatched.some((a) => a.type === "notification")).toBe(true));
  });

  it("says what an offer price means next to the price", async () => {
    const api = scriptedApi({ Channels: () => channels });
    renderWithApp(<RuleEditorPage family="checkout" />, { api, path: "/dashboard/offers/new" });
    const help = await screen.findByTestId("price-help");
    expect(help.textContent).toMatch(/net when its prices are entered without tax, gross when with/);
    expect(help.textContent).toMatch(/vouchers still apply on top/);
  });

  it("shows the server's field errors next to the fields", async () => {
    const api = scriptedApi({
      Channels: () => channels,
      Rule: () => ({
        rule: {
          id: "5", kind: "BUMP", name: "Case", enabled: true, priority: 0, startsAt: null, endsAt: null, channels: [],
          offerVariantId: "UHJvZHVjdFZhcmlhbnQ6Mg==", headline: "Protect it", createdAt: "", updatedAt: "",
          spec: {
            kind: "bump", name: "Case", trigger: { product_ids: ["UHJvZHVjdDox"] }, offer_variant_id: "UHJvZHVjdFZhcmlhbnQ6Mg==",
            price: { type: "percent_off", percent: "15" }, copy: { headline: "Protect it", reason: "Fits" },
          },
        },
      }),
      RulePreview: () => ({ rulePreview: { variantName: "Case", imageUrl: null, price: { amount: "8.50", currency: "USD" }, regularPrice: { amount: "10.00", currency: "USD" }, cataloguePrice: null, ceilingBase: null, warnings: [{ code: "PRICE_ABOVE_CEILING", message: "Costs more than 25% of the phone" }], errors: [] } }),
      RuleUpdate: () => ({ ruleUpdate: { rule: null, errors: [{ field: "copy.headline", code: "INVALID", message: "Headline is already used" }] } }),
    });
    renderWithApp(<RuleEditorPage family="checkout" ruleId="5" />, { api, path: "/dashboard/offers/5" });
    expect(await screen.findByText(/Costs more than 25% of the phone/, {}, { timeout: 3000 })).toBeTruthy();
    expect(screen.getByTestId("regular-price").textContent).toBe("$10.00");
    fireEvent.click(screen.getByTestId("save-rule"));
    expect(await screen.findByText("Headline is already used")).toBeTruthy();
  });

  it("names the products and variants a saved rule holds, with their thumbnails", async () => {
    const api = scriptedApi({
      Channels: () => channels,
      Rule: () => ({
        rule: {
          id: "7", kind: "BUMP", name: "Juice", enabled: true, priority: 0, startsAt: null, endsAt: null, channels: ["default-channel"],
          offerVariantId: "UHJvZHVjdFZhcmlhbnQ6MzAw", headline: "Thirsty?", createdAt: "", updatedAt: "",
          spec: {
            kind: "bump", name: "Juice", trigger: { product_ids: ["UHJvZHVjdDoxMzQ="], variant_ids: ["UHJvZHVjdFZhcmlhbnQ6OTk5"], channels: ["default-channel"] },
            offer_variant_id: "UHJvZHVjdFZhcmlhbnQ6MzAw", price: { type: "percent_off", percent: "15" }, copy: { headline: "Thirsty?", reason: "Cold" },
          },
        },
      }),
      CatalogItems: ({ ids }) => ({
        catalogItems: (ids as string[]).map((id) => ({
          id,
          name: { "UHJvZHVjdDoxMzQ=": "Monospace Tee", "UHJvZHVjdFZhcmlhbnQ6MzAw": "Apple Juice (1l)" }[id] ?? null,
          imageUrl: id === "UHJvZHVjdFZhcmlhbnQ6MzAw" ? "http://saleor.test/media/juice.png" : null,
        })),
      }),
      RulePreview: () => ({ rulePreview: { variantName: "Apple Juice", imageUrl: null, price: null, regularPrice: null, cataloguePrice: null, ceilingBase: null, warnings: [], errors: [] } }),
    });
    renderWithApp(<RuleEditorPage family="checkout" ruleId="7" />, { api, path: "/dashboard/offers/7" });
    expect((await screen.findByTestId("offer-variant")).textContent).toBe("Offering: Apple Juice (1l)");
    const triggers = screen.getByRole("list", { name: "Trigger products" });
    expect(triggers.textContent).toContain("Monospace Tee");
    expect(triggers.textContent).not.toContain("UHJvZHVjdDoxMzQ=");
    // An id Saleor no longer knows keeps the id, so the merchant can still remove it.
    expect(screen.getByRole("list", { name: "Trigger variants" }).textContent).toContain("UHJvZHVjdFZhcmlhbnQ6OTk5");
    const offerBox = screen.getByTestId("offer-variant").parentElement as HTMLElement;
    expect(offerBox.querySelector("img")?.getAttribute("src")).toBe("http://saleor.test/media/juice.png");
    const lookup = api.calls.find((c) => c.operation === "CatalogItems");
    expect(lookup?.variables).toEqual({ ids: ["UHJvZHVjdDoxMzQ=", "UHJvZHVjdFZhcmlhbnQ6OTk5", "UHJvZHVjdFZhcmlhbnQ6MzAw"], channel: "default-channel" });
  });

  it("picks a category and a collection as triggers and saves them in the spec", async () => {
    const juices = "Q2F0ZWdvcnk6NDA=";
    const summer = "Q29sbGVjdGlvbjo1";
    const updates: Record<string, unknown>[] = [];
    const api = scriptedApi({
      Channels: () => channels,
      Rule: () => ({
        rule: {
          id: "8", kind: "BUMP", name: "Juice", enabled: true, priority: 0, startsAt: null, endsAt: null, channels: [],
          offerVariantId: "UHJvZHVjdFZhcmlhbnQ6MzAw", headline: "Thirsty?", createdAt: "", updatedAt: "",
          spec: {
            kind: "bump", name: "Juice", trigger: { product_ids: ["UHJvZHVjdDoxMzQ="] }, offer_variant_id: "UHJvZHVjdFZhcmlhbnQ6MzAw",
            price: { type: "percent_off", percent: "15" }, copy: { headline: "Thirsty?", reason: "Cold" },
          },
        },
      }),
      CatalogItems: ({ ids }) => ({ catalogItems: (ids as string[]).map((id) => ({ id, name: null, imageUrl: null })) }),
      CatalogGroups: ({ search }) => ({
        catalogGroups: {
          categories: [{ id: juices, name: "Juices" }].filter((c) => c.name.toLowerCase().includes(String(search).toLowerCase())),
          collections: [{ id: summer, name: "Summer Picks" }].filter((c) => c.name.toLowerCase().includes(String(search).toLowerCase())),
        },
      }),
      RulePreview: () => ({ rulePreview: { variantName: "Apple Juice", imageUrl: null, price: null, regularPrice: null, cataloguePrice: null, ceilingBase: null, warnings: [], errors: [] } }),
      RuleUpdate: (variables) => {
        updates.push(variables);
        return { ruleUpdate: { rule: null, errors: [{ field: "name", code: "INVALID", message: "stop here" }] } };
      },
    });
    renderWithApp(<RuleEditorPage family="checkout" ruleId="8" />, { api, path: "/dashboard/offers/8" });

    const choose = async (testId: string, text: string, option: string) => {
      const box = await screen.findByTestId(testId);
      const input = (box.tagName === "INPUT" ? box : box.querySelector("input")) as HTMLInputElement;
      fireEvent.change(input, { target: { value: text } });
      fireEvent.click(await screen.findByRole("option", { name: option }, { timeout: 3000 }));
    };
    await choose("picker-trigger-category", "juic", "Juices");
    await waitFor(() => expect(screen.getByRole("list", { name: "Trigger categories" }).textContent).toContain("Juices"));
    await choose("picker-trigger-collection", "summer", "Summer Picks");
    await waitFor(() => expect(screen.getByRole("list", { name: "Trigger collections" }).textContent).toContain("Summer Picks"));

    fireEvent.click(screen.getByTestId("save-rule"));
    await waitFor(() => expect(updates).toHaveLength(1));
    const trigger = (updates[0]?.spec as { trigger: Record<string, unknown> }).trigger;
    expect(trigger.category_ids).toEqual([juices]);
    expect(trigger.collection_ids).toEqual([summer]);
    expect(trigger.product_ids).toEqual(["UHJvZHVjdDoxMzQ="]);
  });

  it("names the categories and collections a saved rule holds", async () => {
    const api = scriptedApi({
      Channels: () => channels,
      Rule: () => ({
        rule: {
          id: "9", kind: "BUMP", name: "Juice", enabled: true, priority: 0, startsAt: null, endsAt: null, channels: [],
          offerVariantId: "UHJvZHVjdFZhcmlhbnQ6MzAw", headline: "Thirsty?", createdAt: "", updatedAt: "",
          spec: {
            kind: "bump", name: "Juice", trigger: { category_ids: ["Q2F0ZWdvcnk6NDA="], collection_ids: ["Q29sbGVjdGlvbjo1"] }, offer_variant_id: "UHJvZHVjdFZhcmlhbnQ6MzAw",
            price: { type: "percent_off", percent: "15" }, copy: { headline: "Thirsty?", reason: "Cold" },
          },
        },
      }),
      CatalogItems: ({ ids }) => ({ catalogItems: (ids as string[]).map((id) => ({ id, name: "Apple Juice", imageUrl: null })) }),
      CatalogGroups: ({ ids }) => {
        expect(ids).toEqual(["Q2F0ZWdvcnk6NDA=", "Q29sbGVjdGlvbjo1"]);
        return { catalogGroups: { categories: [{ id: "Q2F0ZWdvcnk6NDA=", name: "Juices" }], collections: [{ id: "Q29sbGVjdGlvbjo1", name: "Summer Picks" }] } };
      },
      RulePreview: () => ({ rulePreview: { variantName: "Apple Juice", imageUrl: null, price: null, regularPrice: null, cataloguePrice: null, ceilingBase: null, warnings: [], errors: [] } }),
    });
    renderWithApp(<RuleEditorPage family="checkout" ruleId="9" />, { api, path: "/dashboard/offers/9" });
    expect((await screen.findByRole("list", { name: "Trigger categories" })).textContent).toContain("Juices");
    expect(screen.getByRole("list", { name: "Trigger collections" }).textContent).toContain("Summer Picks");
  });
});
