/** Turning per-week analytics rows into chart series (pure; tested). */
import type { ExperimentFields, RuleWeekFields } from "../../api/types";

type ArmFields = ExperimentFields["arms"][number];
import type { Series } from "../../components/charts/LineChart";

/** A week is keyed by its Monday ("2026-11-16", sortable) and shown as a date people read ("16 Nov"). */
export const weekKey = (row: { weekStart: string }) => row.weekStart;

export function weekLabel(weekStart: string, locale = "en"): string {
  const date = new Date(`${weekStart}T00:00:00Z`);
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(date);
}

export function weekLabels(rows: RuleWeekFields[]): string[] {
  return [...new Set(rows.map(weekKey))].sort();
}

function seriesName(row: RuleWeekFields): string {
  return `${row.ruleName ?? `Deleted rule ${row.ruleId}`} · ${row.channel}`;
}

/** One series per rule and channel; weeks without data are null (a gap, not a zero). `labels` are the
 * weeks' Mondays as dates ("16 Nov"); `weeks` the same weeks as keys. */
export function buildSeries(
  rows: RuleWeekFields[],
  value: (row: RuleWeekFields) => number | null,
  locale = "en",
): { labels: string[]; weeks: string[]; series: Series[] } {
  const weeks = weekLabels(rows);
  const byName = new Map<string, (number | null)[]>();
  for (const row of rows) {
    const name = seriesName(row);
    const values = byName.get(name) ?? weeks.map(() => null);
    values[weeks.indexOf(weekKey(row))] = value(row);
    byName.set(name, values);
  }
  const labels = weeks.map((week) => weekLabel(week, locale));
  return { labels, weeks, series: [...byName].map(([name, values]) => ({ name, values })) };
}

export function revenueIn(row: RuleWeekFields, currency: string): number | null {
  const money = row.revenue.find((m) => m.currency === currency);
  return money ? Number(money.amount) : 0;
}

export function currenciesOf(rows: RuleWeekFields[]): string[] {
  return [...new Set(rows.flatMap((row) => row.revenue.map((m) => m.currency)))].sort();
}

/** The treatment (offers or all variants) and the holdout arms of an experiment. */
export function armsOf(experiment: ExperimentFields): { holdout: ArmFields | undefined; treated: ArmFields[] } {
  return {
    holdout: experiment.arms.find((arm) => arm.arm === "holdout"),
    treated: experiment.arms.filter((arm) => arm.arm !== "holdout"),
  };
}

/** Per rule: its experiments (one per channel and currency), to sit next to its offer totals. */
export function experimentsByRule(experiments: ExperimentFields[]): Map<string, ExperimentFields[]> {
  const byRule = new Map<string, ExperimentFields[]>();
  for (const experiment of experiments) {
    if (experiment.ruleId === null) continue;
    byRule.set(experiment.ruleId, [...(byRule.get(experiment.ruleId) ?? []), experiment]);
  }
  return byRule;
}
