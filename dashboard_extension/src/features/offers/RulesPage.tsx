/** The list of rules of one family, with a quick on/off switch and a way to create the first one. */
import { Box, Button } from "@saleor/macaw-ui";
import { useQuery } from "urql";
import { useLocation } from "wouter";

import { RulesDocument } from "../../api/generated";
import { Page } from "../../components/Page";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { paths } from "../../router/routes";
import { useChannels } from "../settings/useChannels";
import { FAMILY, type Family } from "./family";
import { RuleTable } from "./RuleTable";

export function RulesPage({ family }: { family: Family }) {
  const config = FAMILY[family];
  const [, navigate] = useLocation();
  const [rules, refetch] = useQuery({ query: RulesDocument, variables: { filter: { kinds: [...config.kinds] } } });
  const { channels } = useChannels();

  const create = (
    <Button onClick={() => navigate(config.create)} data-testid="new-rule">
      {config.newLabel}
    </Button>
  );

  return (
    <Page title={config.title} description={config.description} action={create}>
      {rules.fetching && !rules.data && <LoadingState />}
      {rules.error && <ErrorState error={rules.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {rules.data && rules.data.rules.length === 0 && (
        <EmptyState
          title={config.emptyTitle}
          action={
            <Box display="flex" gap={2}>
              {create}
              {family === "checkout" && (
                <Button variant="secondary" onClick={() => navigate(paths.suggestions)}>
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
        <RuleTable family={family} rules={rules.data.rules} channels={channels ?? []} onOpen={(id) => navigate(config.edit(id))} />
      )}
    </Page>
  );
}
