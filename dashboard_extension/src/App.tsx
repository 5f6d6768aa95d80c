/** Providers (app-bridge, theme, API, router) around the page the current path asks for. */
import { AppBridgeProvider, type AppBridge } from "@saleor/app-sdk/app-bridge";
import { ThemeProvider } from "@saleor/macaw-ui";
import { useCallback, useEffect } from "react";

import { ApiProvider } from "./api/ApiProvider";
import type { Request } from "./api/client";
import { reportRoute } from "./bridge/bridge";
import { BridgeGate } from "./bridge/BridgeGate";
import { ThemeSync, toMacawTheme } from "./bridge/ThemeSync";
import { Pages } from "./Pages";
import { RouterProvider, useRouter } from "./router/Router";
import { matchRoute } from "./router/routes";

export function App({ appBridge, request }: { appBridge: AppBridge; request?: Request }) {
  const onNavigate = useCallback((path: string) => void reportRoute(appBridge, path), [appBridge]);
  return (
    <AppBridgeProvider appBridgeInstance={appBridge}>
      <ThemeProvider defaultTheme={toMacawTheme(appBridge.getState().theme)}>
        <ThemeSync />
        <BridgeGate>
          <ApiProvider request={request}>
            <RouterProvider onNavigate={onNavigate}>
              <DashboardRedirects appBridge={appBridge} />
              <Pages />
            </RouterProvider>
          </ApiProvider>
        </BridgeGate>
      </ThemeProvider>
    </AppBridgeProvider>
  );
}

/** The dashboard may ask the app to show one of its paths (`redirect` event). */
function DashboardRedirects({ appBridge }: { appBridge: AppBridge }) {
  const { navigate } = useRouter();
  useEffect(
    () =>
      appBridge.subscribe("redirect", ({ path }) => {
        const route = matchRoute(path);
        if (route.page !== "notFound") navigate(route);
      }),
    [appBridge, navigate],
  );
  return null;
}
