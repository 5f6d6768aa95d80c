/** Offers vs the random holdout (revenue per eligible checkout, completion, AOV) with plain verdicts; per
 * rule: what shoppers did and what the rule does; average order value; acceptance and revenue per week. */
import { Box, Text } from "@saleor/macaw-ui";
import { useMemo, useState } from "react";
import { useQuery } from "urql";

import { AnalyticsDocument } from "../../api/generated";
import type { AnalyticsFields, RuleWeekFields } from "../../api/types";
import { LineChart } from "../../components/charts/LineChart";
import { Page, Section } from "../../components/Page";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { Cell, Table } from "../../components/Table";
import { useLocale, useMoney } from "../../lib/locale";
import { SelectField } from "../offers/editor/fields";
import { Digests } from "./Digests";
import { ExperimentCard } from "./ExperimentCard";
import { percent, sentence } from "./format";
import { HoldoutNote } from "./HoldoutNote";
import { PausedRules } from "./PausedRules";
import { VariantResults } from "./VariantResults";
import { buildSeries, currenciesOf, experimentsByRule, revenueIn } from "./series";

const RANGES = [
  { value: "28", label: "Last 4 weeks" },
  { value: "91", label: "Last 13 weeks" },
  { value: "365", label: "Last 12 months" },
];

type Analytics = AnalyticsFields;

export function AnalyticsPage() {
  const [days, setDays] = useState("91");
  const since = useMemo(() => new Date(Date.now() - Number(days) * 86_400_000).toISOString().slice(0, 10) + "T00:00:00Z", [days]);
  const [analytics, refetch] = useQuery({ query: AnalyticsDocument, variables: { since } });
  const data = analytics.data?.analytics;

  return (
    <Page
      title="Analytics"
      description="Whether your offers raise revenue per checkout compared with a random holdout that sees none, and what shoppers did with them."
      action={<Box __width="200px"><SelectField label="Period" name="range" value={days} options={RANGES} onChange={setDays} /></Box>}
    >
      {analytics.fetching && !analytics.data && <LoadingState rows={4} />}
      {analytics.error && <ErrorState error={analytics.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      <PausedRules />
      {data && <AnalyticsBody data={data} />}
      <Digests />
    </Page>
  );
}

export function AnalyticsBody({ data }: { data: Analytics }) {
  const overall = data.experiments.filter((experiment) => experiment.ruleId === null);
  return (
    <>
      <Section title="Offers vs holdout">
        <Box display="flex" flexDirection="column" gap={4}>
          {overall.length === 0 ? (
            <Text color="default2" data-testid="lift-empty">
              Nothing measured yet in this period: the numbers appear once checkouts that could get an offer come in.
            </Text>
          ) : (
            <Box display="grid" gap={4} __gridTemplateColumns="repeat(auto-fill, minmax(420px, 1fr))">
              {overall.map((experiment) => (
                <ExperimentCard key={`${experiment.channel}-${experiment.currency}`} experiment={experiment} />
              ))}
            </Box>
          )}
          <HoldoutNote />
        </Box>
      </Section>
      {data.ruleTotals.length === 0 ? (
        <EmptyState title="No offer activity in this period">
          Numbers appear here once shoppers have seen your offers. Check that at least one offer is on, and that the
          channel is in the mode you expect (Settings).
        </EmptyState>
      ) : (
        <>
          <RuleResults data={data} />
          <RuleCharts rows={data.rules} />
        </>
      )}
      {data.orderValues.length > 0 && <OrderValues data={data} />}
    </>
  );
}

function RuleResults({ data }: { data: Analytics }) {
  const money = useMoney();
  const experiments = experimentsByRule(data.experiments);
  return (
    <Section title="Per rule">
      <Table testId="rule-results" headers={["Rule", "Shown", "Accepted", "Declined", "Removed", "Offer revenue", "Against the holdout"]}>
        {data.ruleTotals.map((rule) => (
          <tr key={rule.ruleId}>
            <Cell><Text fontWeight="medium">{rule.ruleName ?? `Deleted rule ${rule.ruleId}`}</Text></Cell>
            <Cell><Text>{rule.shown}</Text></Cell>
            <Cell><Text>{rule.accepted} ({percent(rule.acceptanceRate)})</Text></Cell>
            <Cell><Text>{rule.declined}</Text></Cell>
            <Cell><Text>{rule.removed}</Text></Cell>
            <Cell><Text>{rule.revenue.map((m) => money(m.amount, m.currency)).join(", ") || money(0, data.orderValues[0]?.currency ?? "USD")}</Text></Cell>
            <Cell>
              {(experiments.get(rule.ruleId) ?? []).map((experiment) => (
                <Box key={`${experiment.channel}-${experiment.currency}`}>
                  <Text size={2} display="block">
                    <Text size={2} color="default2">{experiment.channel}: </Text>
                    {sentence(experiment.summary)}
                  </Text>
                  <VariantResults experiment={experiment} />
                </Box>
              ))}
              {!experiments.has(rule.ruleId) && <Text size={2} color="default2">Not measured in this period.</Text>}
            </Cell>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

function OrderValues({ data }: { data: Analytics }) {
  const money = useMoney();
  return (
    <Section title="Average order value">
      <Table testId="order-values" headers={["Channel", "Orders", "Revenue", "Average order value"]}>
        {data.orderValues.map((value) => (
          <tr key={`${value.channel}-${value.currency}`}>
            <Cell><Text>{value.channel}</Text></Cell>
            <Cell><Text>{value.orders}</Text></Cell>
            <Cell><Text>{money(value.total, value.currency)}</Text></Cell>
            <Cell><Text fontWeight="medium">{money(value.average, value.currency)}</Text></Cell>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

function RuleCharts({ rows }: { rows: RuleWeekFields[] }) {
  const money = useMoney();
  const locale = useLocale();
  const rate = buildSeries(rows, (row) => row.acceptanceRate, locale);
  const currencies = currenciesOf(rows);
  return (
    <>
      <Section title="Acceptance rate per week">
        <LineChart title="Acceptance rate per week" labels={rate.labels} series={rate.series} format={(v) => `${Math.round(v * 100)}%`} />
      </Section>
      {currencies.map((currency) => {
        const revenue = buildSeries(
          rows.filter((row) => row.revenue.some((m) => m.currency === currency)),
          (row) => revenueIn(row, currency),
          locale,
        );
        return (
          <Section key={currency} title={`Accepted offer revenue per week (${currency})`}>
            <LineChart title={`Revenue ${currency}`} labels={revenue.labels} series={revenue.series} format={(v) => money(v, currency)} />
          </Section>
        );
      })}
    </>
  );
}
