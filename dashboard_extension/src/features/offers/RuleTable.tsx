/** Rules as a table: name, kind, status, channels, price vs regular price, and the enable toggle. */
import { Box, Text } from "@saleor/macaw-ui";

import type { RuleFields } from "../../api/operations";
import { StatusPill } from "../../components/StatusPill";
import { ruleStatus } from "../../lib/ruleStatus";
import { EnableToggle } from "./EnableToggle";
import { KIND_LABEL } from "./family";
import { RowPrice } from "./RowPrice";
import { describePrice, type JsonObject } from "./ruleSpec";

const HEADERS = ["Name", "Type", "Status", "Channels", "Price", "Enabled"];

export function RuleTable({
  rules,
  onOpen,
  onChanged,
}: {
  rules: RuleFields[];
  onOpen: (id: string) => void;
  onChanged: (rule: RuleFields) => void;
}) {
  return (
    <Box as="table" width="100%" data-testid="rule-table" style={{ borderCollapse: "collapse" }}>
      <thead>
        <tr>
          {HEADERS.map((header) => (
            <Box as="th" key={header} textAlign="left" paddingY={2} paddingX={3} borderBottomWidth={1} borderBottomStyle="solid" borderColor="default1">
              <Text size={2} color="default2" fontWeight="medium">
                {header}
              </Text>
            </Box>
          ))}
        </tr>
      </thead>
      <tbody>
        {rules.map((rule) => (
          <RuleRow key={rule.id} rule={rule} onOpen={onOpen} onChanged={onChanged} />
        ))}
      </tbody>
    </Box>
  );
}

function Cell({ children }: { children: React.ReactNode }) {
  return (
    <Box as="td" paddingY={3} paddingX={3} borderBottomWidth={1} borderBottomStyle="solid" borderColor="default1">
      {children}
    </Box>
  );
}

function RuleRow({ rule, onOpen, onChanged }: { rule: RuleFields; onOpen: (id: string) => void; onChanged: (rule: RuleFields) => void }) {
  const spec = (rule.spec ?? {}) as JsonObject;
  return (
    <Box as="tr" data-testid="rule-row" data-rule-id={rule.id}>
      <Cell>
        <Box
          as="button"
          type="button"
          onClick={() => onOpen(rule.id)}
          backgroundColor="transparent"
          borderWidth={0}
          padding={0}
          cursor="pointer"
          textAlign="left"
        >
          <Text fontWeight="medium" textDecoration="underline">
            {rule.name}
          </Text>
        </Box>
        <Text as="p" size={2} color="default2">
          {rule.headline}
        </Text>
      </Cell>
      <Cell>
        <Text size={2}>{KIND_LABEL[rule.kind]}</Text>
      </Cell>
      <Cell>
        <StatusPill status={ruleStatus(rule)} />
      </Cell>
      <Cell>
        <Text size={2}>{rule.channels.length ? rule.channels.join(", ") : "All channels"}</Text>
      </Cell>
      <Cell>
        <Box display="flex" flexDirection="column" gap={0.5}>
          <RowPrice rule={rule} />
          <Text size={1} color="default2">
            {describePrice(spec)}
          </Text>
        </Box>
      </Cell>
      <Cell>
        <EnableToggle rule={rule} onChanged={onChanged} />
      </Cell>
    </Box>
  );
}
