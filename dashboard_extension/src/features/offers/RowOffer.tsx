/** What a listed rule offers: the item (name, thumbnail) and its price vs the regular price, from rulePreview. */
import { Box, Text } from "@saleor/macaw-ui";
import { useQuery } from "urql";

import { RulePreviewDocument } from "../../api/generated";
import type { RuleFields } from "../../api/types";
import { PriceTag } from "../../components/PriceTag";
import { Thumbnail } from "../../components/Thumbnail";
import { useLocale } from "../../lib/locale";
import { describePrice, type JsonObject } from "./ruleSpec";

/** `channel`: the rule's first channel, or the shop's first when the rule runs in every channel. */
export function RowOffer({ rule, channel }: { rule: RuleFields; channel: string }) {
  const locale = useLocale();
  const [preview] = useQuery({ query: RulePreviewDocument, variables: { spec: rule.spec, channel }, pause: !channel });
  const result = preview.data?.rulePreview;
  const waiting = preview.fetching && !result;
  return (
    <Box display="flex" gap={2} alignItems="center">
      {result?.imageUrl && <Thumbnail url={result.imageUrl} size={32} />}
      <Box display="flex" flexDirection="column" gap={0.5}>
        <Text size={2} fontWeight="medium" data-testid="offered-item">
          {result?.variantName ?? (waiting ? "…" : "Item not sold in this channel")}
        </Text>
        <Box display="flex" gap={2} alignItems="baseline" flexWrap="wrap">
          {result?.price && <PriceTag price={result.price} regular={result.regularPrice} size={2} />}
          <Text size={1} color="default2">
            {describePrice(rule.spec as JsonObject, locale)}
          </Text>
        </Box>
      </Box>
    </Box>
  );
}
