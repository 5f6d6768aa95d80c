/** The offer price with the regular price struck through, as the shopper sees it. */
import { Box, Text } from "@saleor/macaw-ui";

import { useMoney } from "../lib/locale";

export type MoneyLike = { amount: string | number; currency: string };

export function PriceTag({ price, regular, size = 4 }: { price: MoneyLike; regular?: MoneyLike | null; size?: 2 | 3 | 4 | 5 | 6 }) {
  const money = useMoney();
  const discounted = regular && Number(regular.amount) > Number(price.amount) && regular.currency === price.currency;
  return (
    <Box as="span" display="inline-flex" gap={2} alignItems="baseline">
      <Text size={size} fontWeight="bold" data-testid="offer-price">
        {Number(price.amount) === 0 ? "Free" : money(price.amount, price.currency)}
      </Text>
      {discounted && (
        <Text size={size === 2 ? 2 : 3} color="default2" style={{ textDecoration: "line-through" }} data-testid="regular-price">
          {money(regular.amount, regular.currency)}
        </Text>
      )}
    </Box>
  );
}
