/** Offers vs the random holdout in one channel: the verdict in plain words, then the three metrics per arm. */
import { Box, Text } from "@saleor/macaw-ui";

import type { ExperimentFields } from "../../api/types";
import { useMoney } from "../../lib/locale";
import { moneyInterval, percent, pointsInterval, sentence, signedMoney, signedPoints } from "./format";
import { armsOf } from "./series";

const TONE: Record<ExperimentFields["verdict"], "success1" | "critical1" | "default1" | "default2"> = {
  RAISES: "success1",
  LOWERS: "critical1",
  NO_DETECTABLE_EFFECT: "default1",
  NOT_ENOUGH_DATA: "default2",
};

export function ExperimentCard({ experiment, title }: { experiment: ExperimentFields; title?: string }) {
  const money = useMoney();
  const { currency } = experiment;
  const { holdout, treated } = armsOf(experiment);
  const offers = treated.length === 1 ? treated[0] : undefined;
  const rpc = experiment.revenuePerCheckout;
  const completion = experiment.completionRate;
  const rpcInterval = moneyInterval(rpc, currency, money);
  const completionInterval = pointsInterval(completion);
  const value = (amount: string | null) => (amount === null ? "—" : money(amount, currency));
  return (
    <Box data-testid="experiment-card" display="flex" flexDirection="column" gap={3} padding={4} borderRadius={4} borderWidth={1} borderStyle="solid" borderColor="default1">
      <Text size={2} color="default2">
        {title ?? `${experiment.channel} · ${currency}`}
      </Text>
      <Text size={4} fontWeight="bold" color={TONE[experiment.verdict]} data-testid="experiment-verdict">
        {sentence(experiment.summary)}
      </Text>
      <Box as="table" width="100%" style={{ borderCollapse: "collapse" }}>
        <thead>
          <tr>
            {["", "With offers", "Held out", "Difference"].map((header) => (
              <Box as="th" key={header} textAlign="left" paddingY={1} paddingRight={2}>
                <Text size={2} color="default2">{header}</Text>
              </Box>
            ))}
          </tr>
        </thead>
        <tbody>
          <Row
            label="Revenue per checkout"
            offers={value(offers?.revenuePerCheckout ?? null)}
            holdout={value(holdout?.revenuePerCheckout ?? null)}
            difference={rpc?.estimate != null ? signedMoney(rpc.estimate, currency, money) : "—"}
            interval={rpcInterval}
          />
          <Row
            label="Completion rate"
            offers={percent(offers?.completionRate ?? null)}
            holdout={percent(holdout?.completionRate ?? null)}
            difference={completion?.estimate != null ? signedPoints(completion.estimate) : "—"}
            interval={completionInterval}
          />
          <Row
            label="Average order value"
            offers={value(offers?.averageOrderValue ?? null)}
            holdout={value(holdout?.averageOrderValue ?? null)}
            difference={experiment.averageOrderValue?.estimate != null ? signedMoney(experiment.averageOrderValue.estimate, currency, money) : "—"}
            interval={null}
          />
          <Row
            label="Checkouts (orders)"
            offers={treated.map((arm) => `${arm.checkouts} (${arm.orders})`).join(", ") || "0"}
            holdout={holdout ? `${holdout.checkouts} (${holdout.orders})` : "0"}
            difference=""
            interval={null}
          />
        </tbody>
      </Box>
      <Text size={1} color="default2">
        Every eligible checkout counts, whether or not it became an order. Intervals are 95% and stay valid however often
        you look.
      </Text>
    </Box>
  );
}

function Row({ label, offers, holdout, difference, interval }: { label: string; offers: string; holdout: string; difference: string; interval: string | null }) {
  return (
    <tr>
      <Box as="td" paddingY={1} paddingRight={2}><Text size={2}>{label}</Text></Box>
      <Box as="td" paddingRight={2}><Text size={2}>{offers}</Text></Box>
      <Box as="td" paddingRight={2}><Text size={2}>{holdout}</Text></Box>
      <Box as="td">
        <Text size={2} fontWeight="medium">{difference}</Text>
        {interval && (
          <Text size={1} color="default2" display="block">
            {interval}
          </Text>
        )}
      </Box>
    </tr>
  );
}
