/** Providers (app-bridge, theme, handshake gate, API, locale, router) around the page the current path asks for. */
import { AppBridgeProvider, type AppBridge } from "@saleor/app-sdk/app-bridge";
import { ThemeProvider } from "@saleor/macaw-ui";
import { useCallback, useEffect } from "react";
import type { Client } from "urql";
import { useLocation } from "wouter";

import { ApiProvider } from "./api/ApiProvider";
import { reportRoute } from "./bridge/bridge";
import { BridgeGate } from "./bridge/BridgeGate";
import type { HandshakeGuard } from "./bridge/handshake";
import { ThemeSync, toMacawTheme } from "./bridge/ThemeSync";
import { LocaleProvider } from "./lib/locale";
import { Pages } from "./Pages";
import { IframeRouter } from "./router/Router";
import { pageOf, stripBase } from "./router/routes";

type Props = { appBridge: AppBridge; guard?: HandshakeGuard; client?: Client };

export function App({ appBridge, guard, client }: Props) {
  const onNavigate = useCallback((path: string) => void reportRoute(appBridge, path), [appBridge]);
  return (
    <AppBridgeProvider appBridgeInstance={appBridge}>
      <ThemeProvider defaultTheme={toMacawTheme(appBridge.getState().theme)}>
        <ThemeSync />
        <BridgeGate guard={guard}>
          <ApiProvider client={client}>
            <LocaleProvider>
              <IframeRouter onNavigate={onNavigate}>
                <DashboardRedirects appBridge={appBridge} />
                <Pages />
              </IframeRouter>
            </LocaleProvider>
          </ApiProvider>
        </BridgeGate>
      </ThemeProvider>
    </AppBridgeProvider>
  );
}

/** The dashboard may ask the app to show one of its paths (`redirect` event); unknown paths are ignored. */
function DashboardRedirects({ appBridge }: { appBridge: AppBridge }) {
  const [, navigate] = useLocation();
  useEffect(
    () =>
      appBridge.subscribe("redirect", ({ path }) => {
        const below = stripBase(path);
        if (below.startsWith("/") && !below.startsWith("//") && pageOf(below)) navigate(below);
      }),
    [appBridge, navigate],
  );
  return null;
}
