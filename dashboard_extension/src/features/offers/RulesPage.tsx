/** The list of rules of one family, with a quick enable toggle and a way to create the first one. */
import { Box, Button } from "@saleor/macaw-ui";

import { useQuery } from "../../api/hooks";
import { RULES, type RulesData, type RulesVars } from "../../api/operations";
import { Page } from "../../components/Page";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { useRouter } from "../../router/Router";
import { FAMILY, type Family } from "./family";
import { RuleTable } from "./RuleTable";

export function RulesPage({ family }: { family: Family }) {
  const config = FAMILY[family];
  const { navigate } = useRouter();
  const rules = useQuery<RulesData, RulesVars>(RULES, { filter: { kinds: [...config.kinds] } });

  const create = (
    <Button onClick={() => navigate(config.create)} data-testid="new-rule">
      {config.newLabel}
    </Button>
  );

  return (
    <Page title={config.title} description={config.description} action={create}>
      {rules.loading && !rules.data && <LoadingState />}
      {rules.error !== undefined && <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />}
      {rules.data && rules.data.rules.length === 0 && (
        <EmptyState
          title={config.emptyTitle}
          action={
            <Box display="flex" gap={2}>
              {create}
              {family === "checkout" && (
                <Button variant="secondary" onClick={() => navigate({ page: "suggestions" })}>
                  See suggestions
                </Button>
              )}
            </Box>
          }
        >
          {config.emptyText}
        </EmptyState>
      )}
      {rules.data && rules.data.rules.length > 0 && (
        <RuleTable
          rules={rules.data.rules}
          onOpen={(id) => navigate(config.edit(id))}
          onChanged={(updated) =>
            rules.setData((previous) =>
              previous && { rules: previous.rules.map((rule) => (rule.id === updated.id ? updated : rule)) },
            )
          }
        />
      )}
    </Page>
  );
}
