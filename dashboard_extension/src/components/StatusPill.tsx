import { Box, Text } from "@saleor/macaw-ui";

import { STATUS_LABEL, type RuleStatus } from "../lib/ruleStatus";

const COLORS = {
  active: "success1",
  paused: "default2",
  scheduled: "info1",
  ended: "warning1",
} as const;

export function StatusPill({ status }: { status: RuleStatus }) {
  return (
    <Box
      as="span"
      display="inline-flex"
      paddingX={2}
      paddingY={0.5}
      borderRadius={3}
      backgroundColor={COLORS[status]}
      data-status={status}
    >
      <Text size={2} fontWeight="medium">
        {STATUS_LABEL[status]}
      </Text>
    </Box>
  );
}
