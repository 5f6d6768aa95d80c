/** Renders its children once the dashboard handed over a token; explains what to do otherwise. */
import { useBridgeState } from "./useBridgeState";
import type { ReactNode } from "react";

import { Centered } from "../components/Centered";
import { isInIframe } from "./bridge";

export function BridgeGate({ children }: { children: ReactNode }) {
  const appBridgeState = useBridgeState();

  if (!isInIframe()) {
    return (
      <Centered title="Open this app from the Saleor Dashboard">
        Install the app in your Saleor Dashboard (Apps → Install from manifest) and open it from there: the
        dashboard signs you in.
      </Centered>
    );
  }
  if (!appBridgeState?.saleorApiUrl) {
    return (
      <Centered title="Missing Saleor API address">
        The dashboard did not pass <code>saleorApiUrl</code> in the address of this page. Reopen the app from
        the dashboard.
      </Centered>
    );
  }
  if (!appBridgeState.ready || !appBridgeState.token) {
    return <Centered title="Connecting to the dashboard…" loading />;
  }
  return <>{children}</>;
}
