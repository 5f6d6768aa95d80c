import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithApp, scriptedApi } from "../../test/providers";
import { SettingsPage } from "./SettingsPage";

const channels = [
  { slug: "channel-usd", name: "Channel-USD", currencyCode: "USD", isActive: true },
  { slug: "channel-pln", name: "Channel-PLN", currencyCode: "PLN", isActive: true },
];
const settings = (channel: string, patch: Record<string, unknown> = {}) => ({
  channel, mode: "INJECT", maxOffersPerCheckout: 1, allowMoreThanTwo: false, priceCeilingPercent: "25", holdoutPercent: "0",
  allowAfterDeliveryMethod: false, postPurchaseAutoConfirm: false, socialProofMinOrders: 30, guardrailEnabled: true, guardrailMarginPoints: "0", isDefault: true, defaultModeReason: null, ...patch,
});

function setup() {
  const api = scriptedApi({
    // Saved channels come first from the API; the page follows the channels' order.
    SettingsPage: () => ({ channels, channelSettings: [settings("channel-pln", { isDefault: false, holdoutPercent: "10" }), settings("channel-usd")] }),
    ChannelSettingsUpdate: ({ channel, input }) => ({
      channelSettingsUpdate: { settings: settings(String(channel), { ...(input as object), isDefault: false }), errors: [] },
    }),
  });
  const view = renderWithApp(<SettingsPage />, { api, path: "/dashboard/settings" });
  return { api, ...view };
}

const field = (name: string) => screen.getByTestId(`field-${name}`).querySelector("input") ?? screen.getByTestId(`field-${name}`);

describe("SettingsPage", () => {
  it("shows one table of channels in channel order and one form", async () => {
    setup();
    const table = await screen.findByTestId("settings-channels");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      "Channel-USD (USD)Inject (added to the cart)125%0%Defaults",
      "Channel-PLN (PLN)Inject (added to the cart)125%10%Saved",
    ]);
    expect(screen.getAllByTestId("settings-form")).toHaveLength(1);
    expect(screen.getAllByTestId("save-settings")).toHaveLength(1);
    expect(screen.getByTestId("settings-form").dataset.channel).toBe("channel-usd");
  });

  it("says plainly what inject mode does and what EU law allows, where the mode is chosen", async () => {
    setup();
    const notice = await screen.findByTestId("eu-notice");
    expect(notice.textContent).toMatch(/Inject mode adds a line without asking/);
    expect(notice.textContent).toMatch(/Consumer Rights\s+Directive \(2011\/83\/EU, Art\. 22\)/);
    expect(notice.textContent).toMatch(/pre-ticked extras/);
    expect(notice.textContent).toMatch(/Offer mode with the storefront widget is the opt-in way/);
  });

  it("says why an unsaved EU/EEA-currency channel starts in offer mode, and only there", async () => {
    const reason = "Offer mode until you choose: PLN is an EU/EEA currency (Consumer Rights Directive, Art. 22).";
    const api = scriptedApi({
      SettingsPage: () => ({
        channels,
        channelSettings: [settings("channel-usd"), settings("channel-pln", { mode: "OFFER", defaultModeReason: reason })],
      }),
    });
    renderWithApp(<SettingsPage />, { api, path: "/dashboard/settings" });
    await screen.findByTestId("settings-channels");
    expect(screen.queryByTestId("default-mode-reason")).toBeNull(); // USD: inject, nothing to explain
    fireEvent.click(screen.getByText("Channel-PLN (PLN)"));
    expect((await screen.findByTestId("default-mode-reason")).textContent).toBe(reason);
    expect(screen.getByTestId("settings-form").dataset.channel).toBe("channel-pln");
  });

  it("keeps edits per channel, shows what is unsaved and saves every changed channel with one Save", async () => {
    const { api, dispatched } = setup();
    await screen.findByTestId("settings-channels");
    expect(screen.getByTestId("settings-dirty").textContent).toBe("All changes saved");
    expect((screen.getByTestId("save-settings") as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(field("holdoutPercent"), { target: { value: "5" } });
    fireEvent.click(screen.getByText("Channel-PLN (PLN)"));
    expect(screen.getByTestId("settings-form").dataset.channel).toBe("channel-pln");
    fireEvent.change(field("socialProofMinOrders"), { target: { value: "50" } });

    expect(screen.getByTestId("settings-dirty").textContent).toBe("Unsaved changes in Channel-USD, Channel-PLN");
    expect(within(screen.getByTestId("settings-row-channel-usd")).getByTestId("settings-state").textContent).toBe("Unsaved changes");
    fireEvent.click(screen.getByTestId("save-settings"));

    await waitFor(() => expect(screen.getByTestId("settings-dirty").textContent).toBe("All changes saved"));
    const saves = api.calls.filter((call) => call.operation === "ChannelSettingsUpdate");
    expect(saves.map((call) => call.variables.channel)).toEqual(["channel-usd", "channel-pln"]);
    expect(saves[0]?.variables.input).toMatchObject({ holdoutPercent: "5", socialProofMinOrders: 30 });
    expect(saves[1]?.variables.input).toMatchObject({ holdoutPercent: "10", socialProofMinOrders: 50 });
    expect(dispatched.some((a) => a.type === "notification" && a.payload.status === "success")).toBe(true);
  });

  it("explains the completion guardrail and saves its switch and margin with the one Save", async () => {
    const { api } = setup();
    await screen.findByTestId("settings-channels");
    expect(screen.getByTestId("guardrail-explanation").textContent).toMatch(/pauses a rule whose checkouts complete significantly less often than the holdout/);
    expect(screen.getByTestId("guardrail-explanation").textContent).toMatch(/percentage points/);
    fireEvent.change(field("guardrailMarginPoints"), { target: { value: "25" } });
    fireEvent.click(screen.getByTestId("save-settings"));
    expect(await screen.findByText("From 0 to 20 percentage points")).toBeTruthy();
    expect(api.calls.some((call) => call.operation === "ChannelSettingsUpdate")).toBe(false);

    fireEvent.change(field("guardrailMarginPoints"), { target: { value: "2.5" } });
    fireEvent.click(screen.getByText("Pause a rule that costs completed checkouts (completion guardrail)"));
    fireEvent.click(screen.getByTestId("save-settings"));
    await waitFor(() => expect(screen.getByTestId("settings-dirty").textContent).toBe("All changes saved"));
    const saves = api.calls.filter((call) => call.operation === "ChannelSettingsUpdate");
    expect(saves).toHaveLength(1);
    expect(saves[0]?.variables).toMatchObject({ channel: "channel-usd", input: { guardrailEnabled: false, guardrailMarginPoints: "2.5" } });
  });

  it("asks to confirm more than two offers only when the maximum is above two, and blocks the save until then", async () => {
    const { api } = setup();
    await screen.findByTestId("settings-channels");
    expect(screen.queryByTestId("field-allowMoreThanTwo")).toBeNull();
    fireEvent.change(field("maxOffers"), { target: { value: "3" } });
    expect(screen.getByTestId("field-allowMoreThanTwo")).toBeTruthy();
    fireEvent.click(screen.getByTestId("save-settings"));
    expect(await screen.findByText(/tick the box below/)).toBeTruthy();
    expect(api.calls.some((call) => call.operation === "ChannelSettingsUpdate")).toBe(false);
  });

  it("puts the saved values back on Discard", async () => {
    setup();
    await screen.findByTestId("settings-channels");
    fireEvent.change(field("holdoutPercent"), { target: { value: "7" } });
    fireEvent.click(screen.getByText("Discard"));
    expect((field("holdoutPercent") as HTMLInputElement).value).toBe("0");
    expect(screen.getByTestId("settings-dirty").textContent).toBe("All changes saved");
  });
});
