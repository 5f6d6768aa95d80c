/** On a product page: the offers that feature this product (as trigger or as the offered item). */
import { Text } from "@saleor/macaw-ui";

import { useQuery } from "../../api/hooks";
import { RULES, type RuleFields, type RulesData, type RulesVars } from "../../api/operations";
import { StatusPill } from "../../components/StatusPill";
import { ErrorState, LoadingState } from "../../components/States";
import { ruleStatus } from "../../lib/ruleStatus";
import { useRouter } from "../../router/Router";
import { WidgetFrame } from "./WidgetFrame";

export function mentions(rule: RuleFields, id: string): boolean {
  return JSON.stringify(rule.spec).includes(`"${id}"`);
}

export function ProductWidget() {
  const { search } = useRouter();
  const productId = search.get("productId") ?? "";
  const rules = useQuery<RulesData, RulesVars>(RULES, {});
  const found = (rules.data?.rules ?? []).filter((rule) => mentions(rule, productId));
  return (
    <WidgetFrame>
      {rules.loading && <LoadingState rows={1} />}
      {rules.error !== undefined && <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />}
      {rules.data && found.length === 0 && <Text color="default2">No upsell offer uses this product yet. Create one in Apps → Upsell.</Text>}
      {found.map((rule) => (
        <Text key={rule.id} size={2}>
          <StatusPill status={ruleStatus(rule)} /> {rule.name}
        </Text>
      ))}
    </WidgetFrame>
  );
}
