/** Lift of offers vs the random holdout in one channel, with its 95% interval, or "not enough data". */
import { Box, Text } from "@saleor/macaw-ui";

import type { LiftFields } from "../../api/types";
import { useMoney } from "../../lib/locale";

const VERDICT: Record<LiftFields["verdict"], { label: string; color: "success1" | "critical1" | "default2" }> = {
  LIFT: { label: "Offers raise order value", color: "success1" },
  DROP: { label: "Offers lower order value", color: "critical1" },
  NO_DETECTABLE_EFFECT: { label: "No detectable effect yet", color: "default2" },
  NOT_ENOUGH_DATA: { label: "Not enough data", color: "default2" },
};

export function LiftCard({ lift }: { lift: LiftFields }) {
  const verdict = VERDICT[lift.verdict];
  const format = useMoney();
  const money = (amount: string) => format(amount, lift.currency);
  return (
    <Box data-testid="lift-card" display="flex" flexDirection="column" gap={2} padding={4} borderRadius={4} borderWidth={1} borderStyle="solid" borderColor="default1">
      <Text size={2} color="default2">
        {lift.channel} · {lift.currency}
      </Text>
      <Text size={5} fontWeight="bold" color={verdict.color}>
        {verdict.label}
      </Text>
      {lift.verdict === "NOT_ENOUGH_DATA" ? (
        <Text size={2} color="default2">
          {lift.treatedOrders} orders with offers, {lift.controlOrders} in the holdout. Set a holdout percentage in Settings and
          wait for more orders before reading anything into the numbers.
        </Text>
      ) : (
        <>
          <Text>
            {money(lift.difference)} per order
            {lift.relativeLift !== null && ` (${lift.relativeLift >= 0 ? "+" : ""}${(lift.relativeLift * 100).toFixed(1)}%)`}
          </Text>
          <Text size={2} color="default2">
            95% interval: {money(lift.intervalLow)} to {money(lift.intervalHigh)}
          </Text>
          <Text size={2} color="default2">
            Mean order {money(lift.treatedMean)} with offers ({lift.treatedOrders} orders) vs {money(lift.controlMean)} in the holdout (
            {lift.controlOrders} orders)
          </Text>
        </>
      )}
    </Box>
  );
}
