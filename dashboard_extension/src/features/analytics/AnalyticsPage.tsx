/** Acceptance rate and revenue per rule and channel over time, and lift against the holdout. */
import { Box, Text } from "@saleor/macaw-ui";
import { useMemo, useState } from "react";
import { useQuery } from "urql";

import { AnalyticsDocument } from "../../api/generated";
import type { RuleWeekFields } from "../../api/types";
import { LineChart } from "../../components/charts/LineChart";
import { Page, Section } from "../../components/Page";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { useMoney } from "../../lib/locale";
import { SelectField } from "../offers/editor/fields";
import { LiftCard } from "./LiftCard";
import { buildSeries, currenciesOf, revenueIn, totalsByRule } from "./series";

const RANGES = [
  { value: "28", label: "Last 4 weeks" },
  { value: "91", label: "Last 13 weeks" },
  { value: "365", label: "Last 12 months" },
];

export function AnalyticsPage() {
  const [days, setDays] = useState("91");
  const since = useMemo(() => new Date(Date.now() - Number(days) * 86_400_000).toISOString().slice(0, 10) + "T00:00:00Z", [days]);
  const [analytics, refetch] = useQuery({ query: AnalyticsDocument, variables: { since } });
  const rows = analytics.data?.analytics.rules ?? [];
  const lift = analytics.data?.analytics.lift ?? [];

  return (
    <Page
      title="Analytics"
      description="What shoppers did with your offers, and whether offers raise order value compared with the holdout."
      action={<Box __width="200px"><SelectField label="Period" name="range" value={days} options={RANGES} onChange={setDays} /></Box>}
    >
      {analytics.fetching && !analytics.data && <LoadingState rows={4} />}
      {analytics.error && <ErrorState error={analytics.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {analytics.data && (
        <>
          <Section title="Lift vs holdout">
            {lift.length === 0 ? (
              <Text color="default2" data-testid="lift-empty">
                Not enough data. Lift is measured against a random holdout: set a holdout percentage for a channel in Settings,
                then let orders come in.
              </Text>
            ) : (
              <Box display="grid" gap={4} __gridTemplateColumns="repeat(auto-fill, minmax(280px, 1fr))">
                {lift.map((item) => (
                  <LiftCard key={`${item.channel}-${item.currency}`} lift={item} />
                ))}
              </Box>
            )}
          </Section>
          {rows.length === 0 ? (
            <EmptyState title="No offer activity in this period">
              Numbers appear here once shoppers have seen your offers. Check that at least one offer is on, and that the
              channel is in the mode you expect (Settings).
            </EmptyState>
          ) : (
            <RuleCharts rows={rows} />
          )}
        </>
      )}
    </Page>
  );
}

function RuleCharts({ rows }: { rows: RuleWeekFields[] }) {
  const money = useMoney();
  const rate = buildSeries(rows, (row) => row.acceptanceRate);
  const currencies = currenciesOf(rows);
  const totals = totalsByRule(rows);
  return (
    <>
      <Section title="Acceptance rate per week">
        <LineChart title="Acceptance rate per week" labels={rate.labels} series={rate.series} format={(v) => `${Math.round(v * 100)}%`} />
      </Section>
      {currencies.map((currency) => {
        const revenue = buildSeries(
          rows.filter((row) => row.revenue.some((m) => m.currency === currency)),
          (row) => revenueIn(row, currency),
        );
        return (
          <Section key={currency} title={`Accepted offer revenue per week (${currency})`}>
            <LineChart title={`Revenue ${currency}`} labels={revenue.labels} series={revenue.series} format={(v) => money(v, currency)} />
          </Section>
        );
      })}
      <Section title="Totals per rule">
        <Box as="table" width="100%" style={{ borderCollapse: "collapse" }}>
          <tbody>
            {totals.map((total) => (
              <tr key={`${total.name}-${total.channel}`}>
                <Box as="td" paddingY={2}><Text>{total.name}</Text></Box>
                <Box as="td"><Text color="default2">{total.channel}</Text></Box>
                <Box as="td"><Text>{total.accepted} of {total.shown} shown</Text></Box>
                <Box as="td"><Text fontWeight="bold">{total.rate === null ? "—" : `${(total.rate * 100).toFixed(1)}%`}</Text></Box>
              </tr>
            ))}
          </tbody>
        </Box>
      </Section>
    </>
  );
}
