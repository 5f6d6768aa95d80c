/** Gives every component a `request` bound to the current dashboard token (refreshed by app-bridge). */
import { useAppBridge } from "@saleor/app-sdk/app-bridge";
import { createContext, useContext, useMemo, type ReactNode } from "react";

import { createRequest, type Request } from "./client";

const ApiContext = createContext<Request | null>(null);

export function ApiProvider({ children, request }: { children: ReactNode; request?: Request }) {
  const { appBridge } = useAppBridge();
  const value = useMemo(
    () =>
      request ??
      createRequest(() => {
        // Read at call time: the token is replaced by `tokenRefresh` every few minutes.
        const state = appBridge?.getState();
        return { token: state?.token ?? "", saleorApiUrl: state?.saleorApiUrl ?? "" };
      }),
    [appBridge, request],
  );
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useRequest(): Request {
  const request = useContext(ApiContext);
  if (!request) throw new Error("useRequest used outside ApiProvider");
  return request;
}
