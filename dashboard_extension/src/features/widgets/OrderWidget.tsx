/** On an order page: a short note on the app's offers (order-level offer history is not in the API yet). */
import { Text } from "@saleor/macaw-ui";

import { useRouter } from "../../router/Router";
import { WidgetFrame } from "./WidgetFrame";

export function OrderWidget() {
  const { search } = useRouter();
  const orderId = search.get("orderId");
  return (
    <WidgetFrame>
      <Text size={2} color="default2">
        Lines added by Upsell carry the metadata key <code>upsell</code> and a price override reason naming the offer.
        {orderId ? "" : " (No order in context.)"}
      </Text>
    </WidgetFrame>
  );
}
