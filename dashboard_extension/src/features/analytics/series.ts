/** Turning per-week analytics rows into chart series (pure; tested). */
import type { RuleWeekFields } from "../../api/types";
import type { Series } from "../../components/charts/LineChart";

export const weekKey = (row: { isoYear: number; isoWeek: number }) => `${row.isoYear}-W${String(row.isoWeek).padStart(2, "0")}`;

export function weekLabels(rows: RuleWeekFields[]): string[] {
  return [...new Set(rows.map(weekKey))].sort();
}

function seriesName(row: RuleWeekFields): string {
  return `${row.ruleName ?? `Deleted rule ${row.ruleId}`} · ${row.channel}`;
}

/** One series per rule and channel; weeks without data are null (a gap, not a zero). */
export function buildSeries(rows: RuleWeekFields[], value: (row: RuleWeekFields) => number | null): { labels: string[]; series: Series[] } {
  const labels = weekLabels(rows);
  const byName = new Map<string, (number | null)[]>();
  for (const row of rows) {
    const name = seriesName(row);
    const values = byName.get(name) ?? labels.map(() => null);
    values[labels.indexOf(weekKey(row))] = value(row);
    byName.set(name, values);
  }
  return { labels, series: [...byName].map(([name, values]) => ({ name, values })) };
}

export function revenueIn(row: RuleWeekFields, currency: string): number | null {
  const money = row.revenue.find((m) => m.currency === currency);
  return money ? Number(money.amount) : 0;
}

export function currenciesOf(rows: RuleWeekFields[]): string[] {
  return [...new Set(rows.flatMap((row) => row.revenue.map((m) => m.currency)))].sort();
}

export type RuleTotals = { name: string; channel: string; shown: number; accepted: number; rate: number | null };

export function totalsByRule(rows: RuleWeekFields[]): RuleTotals[] {
  const totals = new Map<string, RuleTotals>();
  for (const row of rows) {
    const key = `${row.ruleId}|${row.channel}`;
    const entry = totals.get(key) ?? { name: row.ruleName ?? `Deleted rule ${row.ruleId}`, channel: row.channel, shown: 0, accepted: 0, rate: null };
    entry.shown += row.shown;
    entry.accepted += row.accepted;
    entry.rate = entry.shown ? entry.accepted / entry.shown : null;
    totals.set(key, entry);
  }
  return [...totals.values()].sort((a, b) => b.accepted - a.accepted);
}
