/** Which page component renders each route. */
import { Box, Button } from "@saleor/macaw-ui";

import { EmptyState } from "./components/States";
import { Page } from "./components/Page";
import { AnalyticsPage } from "./features/analytics/AnalyticsPage";
import { RuleEditorPage } from "./features/offers/RuleEditorPage";
import { RulesPage } from "./features/offers/RulesPage";
import { SettingsPage } from "./features/settings/SettingsPage";
import { SuggestionsPage } from "./features/suggestions/SuggestionsPage";
import { OrderWidget } from "./features/widgets/OrderWidget";
import { ProductWidget } from "./features/widgets/ProductWidget";
import { useRouter } from "./router/Router";

export function Pages() {
  const { route, navigate } = useRouter();
  switch (route.page) {
    case "offers":
      return <RulesPage family="checkout" />;
    case "offerNew":
      return <RuleEditorPage family="checkout" />;
    case "offerEdit":
      return <RuleEditorPage family="checkout" ruleId={route.id} />;
    case "postPurchase":
      return <RulesPage family="postPurchase" />;
    case "postPurchaseNew":
      return <RuleEditorPage family="postPurchase" />;
    case "postPurchaseEdit":
      return <RuleEditorPage family="postPurchase" ruleId={route.id} />;
    case "suggestions":
      return <SuggestionsPage />;
    case "analytics":
      return <AnalyticsPage />;
    case "settings":
      return <SettingsPage />;
    case "productWidget":
      return <ProductWidget />;
    case "orderWidget":
      return <OrderWidget />;
    case "notFound":
      return (
        <Page title="Page not found">
          <EmptyState
            title="Nothing here"
            action={
              <Box>
                <Button onClick={() => navigate({ page: "offers" })}>Go to offers</Button>
              </Box>
            }
          >
            The app has no page at {route.path}.
          </EmptyState>
        </Page>
      );
  }
}
