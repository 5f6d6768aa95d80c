/** Turns a rule on or off in place, with a dashboard notification either way. */
import { Checkbox, Text } from "@saleor/macaw-ui";

import { useMutation } from "../../api/hooks";
import { RULE_SET_ENABLED, type RuleFields, type RuleSetEnabledData } from "../../api/operations";
import { describeError } from "../../api/client";
import { useNotify } from "../../bridge/useNotify";

export function EnableToggle({ rule, onChanged }: { rule: RuleFields; onChanged: (rule: RuleFields) => void }) {
  const notify = useNotify();
  const { run, running } = useMutation<RuleSetEnabledData, { id: string; enabled: boolean }>(RULE_SET_ENABLED);

  const toggle = async (enabled: boolean) => {
    try {
      const { ruleSetEnabled } = await run({ id: rule.id, enabled });
      if (ruleSetEnabled.rule) {
        onChanged(ruleSetEnabled.rule);
        void notify.success(enabled ? `“${rule.name}” is on` : `“${rule.name}” is paused`);
      } else {
        void notify.error("Could not change the offer", ruleSetEnabled.errors.map((e) => e.message).join("; "));
      }
    } catch (error) {
      void notify.error("Could not change the offer", describeError(error));
    }
  };

  return (
    <Checkbox
      checked={rule.enabled}
      disabled={running}
      onCheckedChange={(checked) => void toggle(checked === true)}
      aria-label={`Enable ${rule.name}`}
      data-testid="enable-toggle"
    >
      <Text size={2}>{rule.enabled ? "On" : "Off"}</Text>
    </Checkbox>
  );
}
