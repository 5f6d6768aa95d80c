/**
 * Rules as a table: what each offers and what triggers it, where it runs, and its status with the on/off
 * switch. Checkout rules show their type (bump or upgrade); post-purchase rules how long the offer stays open.
 */
import { Box, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

import type { ChannelFields, RuleFields } from "../../api/types";
import { Cell, Table } from "../../components/Table";
import { useLocale } from "../../lib/locale";
import type { Family } from "./family";
import { KIND_LABEL } from "./family";
import { RowOffer } from "./RowOffer";
import { describeTrigger, formatWindow, windowMinutesOf, type JsonObject } from "./ruleSpec";
import { StatusToggle } from "./StatusToggle";

type Column = { header: string; cell: (rule: RuleFields) => ReactNode };

/** The column headers of a family's table (pure: tested). */
export function columnsOf(family: Family): string[] {
  return family === "checkout"
    ? ["Name", "Type", "Offers", "When", "Channels", "Status"]
    : ["Name", "Offers", "When", "Open for", "Channels", "Status"];
}

export function channelNames(slugs: string[], channels: ChannelFields[]): string {
  if (!slugs.length) return "All channels";
  return slugs.map((slug) => channels.find((c) => c.slug === slug)?.name ?? slug).join(", ");
}

type Props = { family: Family; rules: RuleFields[]; channels: ChannelFields[]; onOpen: (id: string) => void };

export function RuleTable({ family, rules, channels, onOpen }: Props) {
  const locale = useLocale();
  const cells: Record<string, Column["cell"]> = {
    Name: (rule) => (
      <>
        <Box as="button" type="button" onClick={() => onOpen(rule.id)} backgroundColor="transparent" borderWidth={0} padding={0} cursor="pointer" textAlign="left">
          <Text fontWeight="medium" textDecoration="underline">
            {rule.name}
          </Text>
        </Box>
        <Text as="p" size={2} color="default2">
          {rule.headline}
        </Text>
      </>
    ),
    Type: (rule) => <Text size={2}>{KIND_LABEL[rule.kind]}</Text>,
    Offers: (rule) => <RowOffer rule={rule} channel={rule.channels[0] ?? channels[0]?.slug ?? ""} />,
    When: (rule) => <Text size={2} data-testid="trigger">{describeTrigger(rule.spec as JsonObject, locale)}</Text>,
    "Open for": (rule) => (
      <Text size={2} data-testid="offer-window">
        {formatWindow(windowMinutesOf(rule.spec as JsonObject))} after the order
      </Text>
    ),
    Channels: (rule) => <Text size={2}>{channelNames(rule.channels, channels)}</Text>,
    Status: (rule) => <StatusToggle rule={rule} />,
  };
  const headers = columnsOf(family);
  return (
    <Table headers={headers} testId="rule-table">
      {rules.map((rule) => (
        <Box as="tr" key={rule.id} data-testid="rule-row" data-rule-id={rule.id}>
          {headers.map((header) => (
            <Cell key={header}>{cells[header]?.(rule)}</Cell>
          ))}
        </Box>
      ))}
    </Table>
  );
}
