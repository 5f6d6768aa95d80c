import { describe, expect, it } from "vitest";

import type { RuleWeekFields } from "../../api/types";
import { buildSeries } from "./series";

function row(patch: Partial<RuleWeekFields>): RuleWeekFields {
  return {
    ruleId: "1", ruleName: "Case", channel: "default-channel", weekStart: "2026-03-02",
    shown: 10, accepted: 2, declined: 0, removed: 1, converted: 1, acceptanceRate: 0.2,
    revenue: [{ amount: "20.00", currency: "USD" }],
    ...patch,
  };
}

describe("analytics series", () => {
  it("makes one series per rule and channel, with gaps as null", () => {
    const rows = [
      row({}),
      row({ weekStart: "2026-03-16", acceptanceRate: 0.5 }),
      row({ ruleId: "2", ruleName: null, weekStart: "2026-03-09" }),
    ];
    const { labels, weeks, series } = buildSeries(rows, (r) => r.acceptanceRate);
    expect(weeks).toEqual(["2026-03-02", "2026-03-09", "2026-03-16"]);
    expect(labels).toEqual(["Mar 2", "Mar 9", "Mar 16"]); // dates, not ISO week codes
    expect(buildSeries(rows, (r) => r.acceptanceRate, "de").labels).toEqual(["2. März", "9. März", "16. März"]);
    expect(series).toEqual([
      { name: "Case · default-channel", values: [0.2, null, 0.5] },
      { name: "Deleted rule 2 · default-channel", values: [null, 0.2, null] },
    ]);
  });
});
