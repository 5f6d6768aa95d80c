import { describe, expect, it } from "vitest";

import type { RuleWeekFields } from "../../api/types";
import { buildSeries, totalsByRule } from "./series";

function row(patch: Partial<RuleWeekFields>): RuleWeekFields {
  return {
    ruleId: "1", ruleName: "Case", channel: "default-channel", isoYear: 2026, isoWeek: 10,
    shown: 10, accepted: 2, declined: 0, removed: 1, converted: 1, acceptanceRate: 0.2,
    revenue: [{ amount: "20.00", currency: "USD" }],
    ...patch,
  };
}

describe("analytics series", () => {
  it("makes one series per rule and channel, with gaps as null", () => {
    const rows = [row({}), row({ isoWeek: 12, acceptanceRate: 0.5 }), row({ ruleId: "2", ruleName: null, isoWeek: 11 })];
    const { labels, series } = buildSeries(rows, (r) => r.acceptanceRate);
    expect(labels).toEqual(["2026-W10", "2026-W11", "2026-W12"]);
    expect(series).toEqual([
      { name: "Case · default-channel", values: [0.2, null, 0.5] },
      { name: "Deleted rule 2 · default-channel", values: [null, 0.2, null] },
    ]);
  });
  it("totals acceptance per rule", () => {
    expect(totalsByRule([row({}), row({ isoWeek: 11, shown: 30, accepted: 8 })])[0]).toMatchObject({ shown: 40, accepted: 10, rate: 0.25 });
  });
});
