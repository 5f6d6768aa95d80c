/** On a product page: the offers that feature this product (as trigger or as the offered item). */
import { Text } from "@saleor/macaw-ui";
import { useQuery } from "urql";

import { RulesDocument } from "../../api/generated";
import type { RuleFields } from "../../api/types";
import { StatusPill } from "../../components/StatusPill";
import { ErrorState, LoadingState } from "../../components/States";
import { ruleStatus } from "../../lib/ruleStatus";
import { useSearchParams } from "../../router/Router";
import { WidgetFrame } from "./WidgetFrame";

export function mentions(rule: RuleFields, id: string): boolean {
  return JSON.stringify(rule.spec).includes(`"${id}"`);
}

export function ProductWidget() {
  const productId = useSearchParams().get("productId") ?? "";
  const [rules, refetch] = useQuery({ query: RulesDocument, variables: {} });
  const found = (rules.data?.rules ?? []).filter((rule) => mentions(rule, productId));
  return (
    <WidgetFrame>
      {rules.fetching && !rules.data && <LoadingState rows={1} />}
      {rules.error && <ErrorState error={rules.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {rules.data && found.length === 0 && <Text color="default2">No upsell offer uses this product yet. Create one in Apps → Upsell.</Text>}
      {found.map((rule) => (
        <Text key={rule.id} size={2}>
          <StatusPill status={ruleStatus(rule)} /> {rule.name}
        </Text>
      ))}
    </WidgetFrame>
  );
}
