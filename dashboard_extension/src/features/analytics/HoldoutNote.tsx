/** What the random holdout costs and what it buys (shown on the analytics page and in Settings). */
import { Text } from "@saleor/macaw-ui";

export const DEFAULT_HOLDOUT_PERCENT = 10;

export function HoldoutNote({ percent = DEFAULT_HOLDOUT_PERCENT }: { percent?: number }) {
  const cost = (percent / 10).toFixed(percent % 10 === 0 ? 0 : 1);
  return (
    <Text size={2} color="default2" data-testid="holdout-note">
      {percent > 0 ? (
        <>
          The holdout ({percent}% of eligible checkouts{percent === DEFAULT_HOLDOUT_PERCENT ? ", the default" : ""}) sees no offers. <strong>What it costs:</strong> if
          your offers raise revenue per checkout by 10%, the holdout gives up {cost}% of the revenue of eligible checkouts.{" "}
          <strong>What it buys:</strong> an honest answer to "do my offers make me money, or cost me orders?", and the
          guardrail that pauses an offer which makes shoppers abandon. With a 10% holdout a 5-point drop in completion
          is caught after about 7,500 checkouts (median); with 5% it takes about 12,700.
        </>
      ) : (
        <>
          The holdout is off: nothing can be measured, and the guardrail cannot protect you from an offer that costs
          orders. Set a holdout percentage in Settings (10% is the default).
        </>
      )}
    </Text>
  );
}
