/** Gives every component the urql client bound to the current dashboard token (refreshed by app-bridge). */
import { useAppBridge } from "@saleor/app-sdk/app-bridge";
import { useMemo, type ReactNode } from "react";
import { Provider, type Client } from "urql";

import { createApiClient } from "./client";

export function ApiProvider({ children, client }: { children: ReactNode; client?: Client }) {
  const { appBridge } = useAppBridge();
  const value = useMemo(
    () =>
      client ??
      createApiClient(() => {
        // Read at call time: the token is replaced by `tokenRefresh` every few minutes.
        const state = appBridge?.getState();
        return { token: state?.token ?? "", saleorApiUrl: state?.saleorApiUrl ?? "" };
      }),
    [appBridge, client],
  );
  return <Provider value={value}>{children}</Provider>;
}
