/** Which page component renders each route (routes.ts has the table; the first match wins). */
import { Box, Button } from "@saleor/macaw-ui";
import type { ReactNode } from "react";
import { Route, Switch, useLocation } from "wouter";

import { EmptyState } from "./components/States";
import { Page } from "./components/Page";
import { AnalyticsPage } from "./features/analytics/AnalyticsPage";
import { RuleEditorPage } from "./features/offers/RuleEditorPage";
import { RulesPage } from "./features/offers/RulesPage";
import { SettingsPage } from "./features/settings/SettingsPage";
import { SuggestionsPage } from "./features/suggestions/SuggestionsPage";
import { OrderWidget } from "./features/widgets/OrderWidget";
import { ProductWidget } from "./features/widgets/ProductWidget";
import { paths, ROUTES, type Page as PageName } from "./router/routes";

type Params = Record<string, string | undefined>;

const PAGES: Record<PageName, (params: Params) => ReactNode> = {
  offers: () => <RulesPage family="checkout" />,
  offerNew: () => <RuleEditorPage key="new" family="checkout" />,
  offerEdit: ({ id }) => <RuleEditorPage key={id} family="checkout" ruleId={id} />,
  postPurchase: () => <RulesPage family="postPurchase" />,
  postPurchaseNew: () => <RuleEditorPage key="new" family="postPurchase" />,
  postPurchaseEdit: ({ id }) => <RuleEditorPage key={id} family="postPurchase" ruleId={id} />,
  suggestions: () => <SuggestionsPage />,
  analytics: () => <AnalyticsPage />,
  settings: () => <SettingsPage />,
  productWidget: () => <ProductWidget />,
  orderWidget: () => <OrderWidget />,
};

export function Pages() {
  return (
    <Switch>
      {ROUTES.map(({ page, pattern }) => (
        <Route key={pattern} path={pattern}>
          {(params: Params) => PAGES[page](params)}
        </Route>
      ))}
      <Route>
        <NotFound />
      </Route>
    </Switch>
  );
}

function NotFound() {
  const [location, navigate] = useLocation();
  return (
    <Page title="Page not found">
      <EmptyState
        title="Nothing here"
        action={
          <Box>
            <Button onClick={() => navigate(paths.offers)}>Go to offers</Button>
          </Box>
        }
      >
        The app has no page at {location}.
      </EmptyState>
    </Page>
  );
}
