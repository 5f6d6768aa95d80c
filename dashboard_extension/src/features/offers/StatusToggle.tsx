/**
 * A rule's status where it can be changed: a labelled on/off switch and what that means now ("Active",
 * "Paused", "Scheduled", "Ended"), with a dashboard notification either way.
 */
import { Box } from "@saleor/macaw-ui";
import { useMutation } from "urql";

import { dataOf, describeError } from "../../api/client";
import { RuleSetEnabledDocument } from "../../api/generated";
import type { RuleFields } from "../../api/types";
import { useNotify } from "../../bridge/useNotify";
import { StatusPill } from "../../components/StatusPill";
import { ruleStatus } from "../../lib/ruleStatus";

export function StatusToggle({ rule, now }: { rule: RuleFields; now?: Date }) {
  const notify = useNotify();
  const [{ fetching }, setEnabled] = useMutation(RuleSetEnabledDocument);

  const toggle = async () => {
    const enabled = !rule.enabled;
    try {
      const { ruleSetEnabled } = dataOf(await setEnabled({ id: rule.id, enabled }));
      if (ruleSetEnabled.rule) {
        void notify.success(enabled ? `“${rule.name}” is on` : `“${rule.name}” is paused`);
      } else {
        void notify.error("Could not change the offer", ruleSetEnabled.errors.map((e) => e.message).join("; "));
      }
    } catch (error) {
      void notify.error("Could not change the offer", describeError(error));
    }
  };

  return (
    <Box display="flex" alignItems="center" gap={2}>
      <Box
        as="button"
        type="button"
        role="switch"
        aria-checked={rule.enabled}
        aria-label={`${rule.name}: ${rule.enabled ? "on, click to pause" : "paused, click to turn on"}`}
        title={rule.enabled ? "On: click to pause" : "Paused: click to turn on"}
        disabled={fetching}
        onClick={() => void toggle()}
        data-testid="enable-toggle"
        display="flex"
        alignItems="center"
        flexShrink="0"
        padding={0.5}
        __width="34px"
        __height="20px"
        borderRadius={5}
        borderWidth={0}
        cursor={fetching ? "not-allowed" : "pointer"}
        backgroundColor={rule.enabled ? "accent1" : "default1Pressed"}
        __justifyContent={rule.enabled ? "flex-end" : "flex-start"}
      >
        <Box as="span" __width="16px" __height="16px" borderRadius={5} backgroundColor="default1" boxShadow="defaultFocused" />
      </Box>
      <StatusPill status={ruleStatus(rule, now)} />
    </Box>
  );
}
