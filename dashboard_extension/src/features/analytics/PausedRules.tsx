/** Rules the completion guardrail paused, with its reason in plain words, and a way to resume each. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useMutation, useQuery } from "urql";

import { dataOf, describeError } from "../../api/client";
import { GuardrailPausesDocument, RuleSetEnabledDocument } from "../../api/generated";
import { useNotify } from "../../bridge/useNotify";
import { Section } from "../../components/Page";

export function PausedRules() {
  const [pauses, refetch] = useQuery({ query: GuardrailPausesDocument });
  const [{ fetching }, setEnabled] = useMutation(RuleSetEnabledDocument);
  const notify = useNotify();
  const active = pauses.data?.guardrailPauses ?? [];
  if (active.length === 0) return null;

  const resume = async (ruleId: string, name: string) => {
    try {
      const { ruleSetEnabled } = dataOf(await setEnabled({ id: ruleId, enabled: true }));
      if (ruleSetEnabled.rule) {
        void notify.success(`“${name}” is on again: its experiment starts afresh`);
        refetch({ requestPolicy: "network-only" });
      } else {
        void notify.error("Could not resume the offer", ruleSetEnabled.errors.map((e) => e.message).join("; "));
      }
    } catch (error) {
      void notify.error("Could not resume the offer", describeError(error));
    }
  };

  return (
    <Section title="Paused by the completion guardrail">
      <Box display="flex" flexDirection="column" gap={3}>
        {active.map((pause) => {
          const name = pause.ruleName ?? `Rule ${pause.ruleId}`;
          return (
            <Box
              key={`${pause.ruleId}-${pause.pausedAt}`}
              data-testid="guardrail-pause"
              display="flex"
              justifyContent="space-between"
              alignItems="flex-start"
              gap={4}
              padding={4}
              borderRadius={4}
              borderWidth={1}
              borderStyle="solid"
              borderColor="critical1"
            >
              <Box display="flex" flexDirection="column" gap={1}>
                <Text fontWeight="bold">
                  {name} · {pause.channel} · {new Date(pause.pausedAt).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" })}
                </Text>
                <Text size={2}>{pause.reason}</Text>
              </Box>
              <Button variant="secondary" disabled={fetching} onClick={() => void resume(pause.ruleId, name)} data-testid="resume-rule">
                Resume
              </Button>
            </Box>
          );
        })}
      </Box>
    </Section>
  );
}
