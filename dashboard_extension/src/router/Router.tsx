/**
 * A tiny history router for the pages under /dashboard/. Navigation keeps the iframe's query string
 * (saleorApiUrl, id, theme...) so app-bridge and API calls keep working after a client-side move.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { BASE, matchRoute, pathOf, type Route } from "./routes";

type RouterValue = {
  route: Route;
  search: URLSearchParams;
  navigate: (to: Route) => void;
};

const RouterContext = createContext<RouterValue | null>(null);

function currentLocation(): { route: Route; search: URLSearchParams } {
  return { route: matchRoute(window.location.pathname), search: new URLSearchParams(window.location.search) };
}

export function RouterProvider({ children, onNavigate }: { children: ReactNode; onNavigate?: (path: string) => void }) {
  const [location, setLocation] = useState(currentLocation);

  useEffect(() => {
    const onPop = () => setLocation(currentLocation());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const navigate = useCallback(
    (to: Route) => {
      const path = pathOf(to);
      window.history.pushState(null, "", `${BASE}${path}${window.location.search}`);
      setLocation(currentLocation());
      onNavigate?.(path);
    },
    [onNavigate],
  );

  const value = useMemo(() => ({ ...location, navigate }), [location, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error("useRouter used outside RouterProvider");
  return value;
}
