/** wouter under /dashboard/, keeping the iframe's query string on every navigation (see keepSearch). */
import { useCallback, type ReactNode } from "react";
import { Router, useSearch, type AroundNavHandler } from "wouter";

import { BASE, keepSearch, stripBase } from "./routes";

export function IframeRouter({ children, onNavigate }: { children: ReactNode; onNavigate?: (path: string) => void }) {
  const aroundNav = useCallback<AroundNavHandler>(
    (navigate, to, options) => {
      navigate(keepSearch(to, window.location.search), options);
      onNavigate?.(stripBase(to));
    },
    [onNavigate],
  );
  return (
    <Router base={BASE} aroundNav={aroundNav}>
      {children}
    </Router>
  );
}

/** The iframe's query parameters (productId, orderId... of the widget's context). */
export function useSearchParams(): URLSearchParams {
  return new URLSearchParams(useSearch());
}
