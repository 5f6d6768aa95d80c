import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { ExperimentMetric } from "../../api/generated";
import type { AnalyticsFields, ExperimentFields } from "../../api/types";
import { renderWithApp, scriptedApi } from "../../test/providers";
import { AnalyticsPage } from "./AnalyticsPage";
import { signedMoney, signedPoints } from "./format";

const difference = (metric: ExperimentMetric, estimate: string | null, low: string | null, high: string | null) => ({
  metric, estimate, relative: null, low, high, fixedLow: low, fixedHigh: high,
});

export const experiment = (patch: Partial<ExperimentFields> = {}): ExperimentFields => ({
  channel: "default-channel", currency: "USD", ruleId: null, ruleName: null,
  verdict: "RAISES", completionVerdict: "NO_DETECTABLE_EFFECT", moreCheckoutsNeeded: null,
  summary: "raises revenue per checkout by $3.82 (95% interval $1.57–$6.07); completion unchanged",
  arms: [
    { arm: "holdout", checkouts: 1000, orders: 650, completionRate: 0.65, revenue: "52000.00", revenuePerCheckout: "52.00", averageOrderValue: "80.00" },
    { arm: "offers", checkouts: 9000, orders: 5850, completionRate: 0.65, revenue: "502380.00", revenuePerCheckout: "55.82", averageOrderValue: "85.88" },
  ],
  revenuePerCheckout: difference("REVENUE_PER_CHECKOUT", "3.82", "1.57", "6.07"),
  completionRate: difference("COMPLETION_RATE", "0.0000", "-0.0150", "0.0150"),
  averageOrderValue: { ...difference("AVERAGE_ORDER_VALUE", "5.88", null, null), fixedLow: "3.00", fixedHigh: "8.00" },
  variants: [],
  ...patch,
});

const analytics = (patch: Partial<AnalyticsFields> = {}): AnalyticsFields => ({
  rules: [
    { ruleId: "1", ruleName: "Mug with a tee", channel: "default-channel", weekStart: "2026-11-16", shown: 40, accepted: 10, declined: 5, removed: 2, converted: 8, acceptanceRate: 0.25, revenue: [{ amount: "80.00", currency: "USD" }] },
    { ruleId: "1", ruleName: "Mug with a tee", channel: "default-channel", weekStart: "2026-11-23", shown: 60, accepted: 20, declined: 4, removed: 1, converted: 18, acceptanceRate: 0.333, revenue: [{ amount: "160.00", currency: "USD" }] },
  ],
  ruleTotals: [
    { ruleId: "1", ruleName: "Mug with a tee", shown: 100, accepted: 30, declined: 9, removed: 3, converted: 26, acceptanceRate: 0.3, revenue: [{ amount: "240.00", currency: "USD" }] },
  ],
  orderValues: [{ channel: "default-channel", currency: "USD", orders: 6500, total: "554380.00", average: "85.29" }],
  experiments: [
    experiment(),
    experiment({ ruleId: "1", ruleName: "Mug with a tee", verdict: "LOWERS", summary: "lowers revenue per checkout by $1.20 (95% interval -$2.00 to -$0.40); completion down 3.0 points (95% interval -5.0 to -1.0 points)" }),
  ],
  ...patch,
});

const quiet = { GuardrailPauses: () => ({ guardrailPauses: [] }), Digests: () => ({ digests: [] }) };

const pause = {
  ruleId: "1", ruleName: "Mug with a tee", channel: "default-channel", active: true, pausedAt: "2026-11-24T10:00:00+00:00",
  reason: "Paused this rule: its checkouts completed 6.0 points less often than held-out ones (60.0% vs 66.0% over 10,000 checkouts; always-valid 95% interval -10.8 to -1.2 points).",
};

describe("AnalyticsPage", () => {
  it("states the verdict in words, with the metrics per arm, per rule results, AOV and dated charts", async () => {
    const api = scriptedApi({ Analytics: () => ({ analytics: analytics() }), ...quiet });
    renderWithApp(<AnalyticsPage />, { api, path: "/dashboard/analytics" });

    const card = (await screen.findAllByTestId("experiment-card"))[0] as HTMLElement;
    expect(within(card).getByTestId("experiment-verdict").textContent).toBe(
      "Raises revenue per checkout by $3.82 (95% interval $1.57–$6.07); completion unchanged.",
    );
    expect(card.textContent).toContain("Revenue per checkout$55.82$52.00+$3.82+$1.57 to +$6.07");
    expect(card.textContent).toContain("Completion rate65.0%65.0%0.0 points");
    expect(card.textContent).toContain("Average order value$85.88$80.00+$5.88");
    expect(card.textContent).toContain("Checkouts (orders)9000 (5850)1000 (650)");

    const rules = screen.getByTestId("rule-results");
    const row = within(rules).getAllByRole("row")[1] as HTMLElement;
    expect(row.textContent).toContain("Mug with a tee10030 (30.0%)93$240.00");
    expect(row.textContent).toContain("default-channel: Lowers revenue per checkout by $1.20");
    expect(screen.getByTestId("order-values").textContent).toContain("default-channel6500$554,380.00$85.29");
    expect(screen.getByTestId("holdout-note").textContent).toContain("What it costs");
    const chart = screen.getByRole("img", { name: "Acceptance rate per week" });
    const labels = [...chart.querySelectorAll("text")].map((t) => t.textContent);
    expect(labels).toEqual(expect.arrayContaining(["Nov 16", "Nov 23"]));
    expect(labels.some((label) => /W\d\d/.test(label ?? ""))).toBe(false);
  });

  it("says when nothing is measured yet", async () => {
    const api = scriptedApi({
      Analytics: () => ({ analytics: analytics({ experiments: [], ruleTotals: [], rules: [], orderValues: [] }) }),
      ...quiet,
    });
    renderWithApp(<AnalyticsPage />, { api, path: "/dashboard/analytics" });
    expect((await screen.findByTestId("lift-empty")).textContent).toContain("Nothing measured yet");
    expect(screen.getByText("No offer activity in this period")).toBeTruthy();
  });
});

describe("AnalyticsPage guardrail and digests", () => {
  it("shows what the guardrail paused and why, and resumes a rule in one click", async () => {
    let paused = [pause];
    const api = scriptedApi({
      Analytics: () => ({ analytics: analytics() }),
      GuardrailPauses: () => ({ guardrailPauses: paused }),
      Digests: () => ({ digests: [] }),
      RuleSetEnabled: ({ id, enabled }) => {
        paused = [];
        return { ruleSetEnabled: { rule: { id, enabled }, errors: [] } };
      },
    });
    renderWithApp(<AnalyticsPage />, { api, path: "/dashboard/analytics" });
    const card = await screen.findByTestId("guardrail-pause");
    expect(card.textContent).toContain("Mug with a tee · default-channel");
    expect(card.textContent).toContain("completed 6.0 points less often than held-out ones");
    fireEvent.click(within(card).getByTestId("resume-rule"));
    await waitFor(() => expect(api.calls.some((c) => c.operation === "RuleSetEnabled" && c.variables.enabled === true)).toBe(true));
    await waitFor(() => expect(screen.queryByTestId("guardrail-pause")).toBeNull());
  });

  it("lists the weekly digests with downloads", async () => {
    const api = scriptedApi({
      Analytics: () => ({ analytics: analytics() }),
      GuardrailPauses: () => ({ guardrailPauses: [] }),
      Digests: () => ({
        digests: [{ week: "2026-W47", weekStart: "2026-11-16", createdAt: "2026-11-23T00:00:30+00:00", emailedTo: "owner@shop.test", text: "Upsell weekly report", chartPngBase64: "iVBORw0KGgo=" }],
      }),
    });
    renderWithApp(<AnalyticsPage />, { api, path: "/dashboard/analytics" });
    const table = await screen.findByTestId("digests");
    expect(table.textContent).toContain("Week of Nov 16 2026owner@shop.testTextChart");
  });
});

describe("AnalyticsPage A/B variants", () => {
  it("shows each variant against the holdout and promotes the winner in one click", async () => {
    const variantDiff = (metric: ExperimentMetric) => difference(metric, "1.00", "0.20", "1.80");
    const split = experiment({
      ruleId: "1", ruleName: "Mug with a tee", verdict: "RAISES",
      arms: [
        { arm: "holdout", checkouts: 1000, orders: 650, completionRate: 0.65, revenue: "52000.00", revenuePerCheckout: "52.00", averageOrderValue: "80.00" },
        { arm: "A", checkouts: 4500, orders: 2900, completionRate: 0.644, revenue: "234000.00", revenuePerCheckout: "52.00", averageOrderValue: "80.69" },
        { arm: "B", checkouts: 4500, orders: 2950, completionRate: 0.656, revenue: "247500.00", revenuePerCheckout: "55.00", averageOrderValue: "83.90" },
      ],
      variants: [
        { variant: "A", verdict: "NO_DETECTABLE_EFFECT", summary: "no detectable change in revenue per checkout (95% interval -$1.00 to $1.00); completion unchanged", revenuePerCheckout: variantDiff("REVENUE_PER_CHECKOUT"), completionRate: variantDiff("COMPLETION_RATE") },
        { variant: "B", verdict: "RAISES", summary: "raises revenue per checkout by $3.00 (95% interval $1.00–$5.00); completion unchanged", revenuePerCheckout: variantDiff("REVENUE_PER_CHECKOUT"), completionRate: variantDiff("COMPLETION_RATE") },
      ],
    });
    const api = scriptedApi({
      Analytics: () => ({ analytics: analytics({ experiments: [experiment(), split] }) }),
      ...quiet,
      RuleVariantPromote: ({ id, variant }) => ({
        ruleVariantPromote: { rule: { id, name: "Mug with a tee", variant }, errors: [] },
      }),
    });
    renderWithApp(<AnalyticsPage />, { api, path: "/dashboard/analytics" });
    const results = await screen.findByTestId("variant-results");
    expect(results.textContent).toContain("Variant B (4500 checkouts): Raises revenue per checkout by $3.00");
    fireEvent.click(within(results).getByTestId("promote-B"));
    await waitFor(() =>
      expect(api.calls.find((c) => c.operation === "RuleVariantPromote")?.variables).toEqual({ id: "1", variant: "B" }),
    );
  });
});

describe("experiment numbers", () => {
  const money = (amount: number | string, currency: string) => `${currency === "USD" ? "$" : ""}${Number(amount).toFixed(2)}`;
  it("signs money and points", () => {
    expect(signedMoney("-0.31", "USD", money)).toBe("−$0.31");
    expect(signedMoney("0", "USD", money)).toBe("$0.00");
    expect(signedPoints("-0.031")).toBe("−3.1 points");
    expect(signedPoints("0.0001")).toBe("0.0 points");
  });
});
