/** On an order page: what Upsell offered around this order (bumps in its checkout, the post-purchase offer). */
import { Text } from "@saleor/macaw-ui";
import { useQuery } from "urql";

import { OrderOffersDocument } from "../../api/generated";
import type { OrderOfferFields } from "../../api/types";
import { ErrorState, LoadingState } from "../../components/States";
import { useLocale } from "../../lib/locale";
import { formatMoney } from "../../lib/money";
import { useSearchParams } from "../../router/Router";
import { WidgetFrame } from "./WidgetFrame";

const KIND_LABELS: Record<string, string> = {
  offered: "offered",
  accepted: "accepted",
  converted: "bought",
  declined: "declined",
  removed: "removed (trigger left)",
  expired: "expired",
  failed: "could not be added",
};

export function describeOrderOffer(event: OrderOfferFields, locale = "en"): string {
  const what = event.offerType === "post_purchase" ? "Post-purchase offer" : event.offerType === "upgrade" ? "Upgrade" : "Order bump";
  const rule = event.ruleName ?? (event.ruleId ? `rule #${event.ruleId}` : "a deleted rule");
  const money = event.amount ? ` · ${formatMoney(event.amount.amount, event.amount.currency, locale)}` : "";
  // A same-order add-on: the order was paid without it, so the shop still collects this amount.
  const due = event.amountDue
    ? ` · ${formatMoney(event.amountDue.amount, event.amountDue.currency, locale)} still to collect`
    : "";
  return `${what} “${rule}” ${KIND_LABELS[event.kind] ?? event.kind}${money}${due}`;
}

export function OrderWidget() {
  const orderId = useSearchParams().get("orderId") ?? "";
  const locale = useLocale();
  const [offers, refetch] = useQuery({ query: OrderOffersDocument, variables: { orderId }, pause: !orderId });
  return (
    <WidgetFrame>
      {!orderId && <Text color="default2">No order in context.</Text>}
      {offers.fetching && !offers.data && <LoadingState rows={1} />}
      {offers.error && <ErrorState error={offers.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {offers.data && offers.data.orderOffers.length === 0 && (
        <Text color="default2">Upsell made no offer around this order.</Text>
      )}
      {offers.data?.orderOffers.map((event, index) => (
        <Text key={`${event.occurredAt}-${index}`} size={2} display="block">
          {describeOrderOffer(event, locale)}
        </Text>
      ))}
    </WidgetFrame>
  );
}
