/** On an order page: what Upsell offered around this order (bumps in its checkout, the post-purchase offer). */
import { Text } from "@saleor/macaw-ui";

import { useQuery } from "../../api/hooks";
import { ORDER_OFFERS, type OrderOfferFields, type OrderOffersData, type OrderOffersVars } from "../../api/operations";
import { ErrorState, LoadingState } from "../../components/States";
import { useRouter } from "../../router/Router";
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

export function describeOrderOffer(event: OrderOfferFields): string {
  const what = event.offerType === "post_purchase" ? "Post-purchase offer" : event.offerType === "upgrade" ? "Upgrade" : "Order bump";
  const rule = event.ruleName ?? (event.ruleId ? `rule #${event.ruleId}` : "a deleted rule");
  const money = event.amount ? ` · ${event.amount.amount} ${event.amount.currency}` : "";
  return `${what} “${rule}” ${KIND_LABELS[event.kind] ?? event.kind}${money}`;
}

export function OrderWidget() {
  const { search } = useRouter();
  const orderId = search.get("orderId") ?? "";
  const offers = useQuery<OrderOffersData, OrderOffersVars>(ORDER_OFFERS, { orderId }, { skip: !orderId });
  return (
    <WidgetFrame>
      {!orderId && <Text color="default2">No order in context.</Text>}
      {offers.loading && <LoadingState rows={1} />}
      {offers.error !== undefined && <ErrorState error={offers.error} onRetry={() => void offers.refetch()} />}
      {offers.data && offers.data.orderOffers.length === 0 && (
        <Text color="default2">Upsell made no offer around this order.</Text>
      )}
      {offers.data?.orderOffers.map((event, index) => (
        <Text key={`${event.occurredAt}-${index}`} size={2} display="block">
          {describeOrderOffer(event)}
        </Text>
      ))}
    </WidgetFrame>
  );
}
