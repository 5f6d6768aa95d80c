/** The shopper's price vs the regular price of a listed rule, in its first channel (from rulePreview). */
import { Text } from "@saleor/macaw-ui";

import type { JSONValue } from "../../api/generated";
import { useQuery } from "../../api/hooks";
import { RULE_PREVIEW, type RuleFields, type RulePreviewData, type RulePreviewVars } from "../../api/operations";
import { PriceTag } from "../../components/PriceTag";
import { useChannels } from "../settings/useChannels";

export function RowPrice({ rule }: { rule: RuleFields }) {
  const channels = useChannels();
  const channel = rule.channels[0] ?? channels.data?.channels[0]?.slug ?? "";
  const preview = useQuery<RulePreviewData, RulePreviewVars>(
    RULE_PREVIEW,
    { spec: rule.spec as JSONValue, channel },
    { skip: !channel },
  );
  const result = preview.data?.rulePreview;
  if (!result?.price) return <Text size={2} color="default2">{preview.loading ? "…" : "—"}</Text>;
  return <PriceTag price={result.price} regular={result.regularPrice} size={2} />;
}
