/** The app's pages and how paths under /dashboard/ map to them. Pure: no DOM, easy to test. */

export const BASE = "/dashboard";

export type Route =
  | { page: "offers" }
  | { page: "offerNew" }
  | { page: "offerEdit"; id: string }
  | { page: "postPurchase" }
  | { page: "postPurchaseNew" }
  | { page: "postPurchaseEdit"; id: string }
  | { page: "suggestions" }
  | { page: "analytics" }
  | { page: "settings" }
  | { page: "productWidget" }
  | { page: "orderWidget" }
  | { page: "notFound"; path: string };

type Matcher = { pattern: RegExp; build: (groups: string[]) => Route };

const MATCHERS: Matcher[] = [
  { pattern: /^\/?$/, build: () => ({ page: "offers" }) },
  { pattern: /^\/offers\/?$/, build: () => ({ page: "offers" }) },
  { pattern: /^\/offers\/new\/?$/, build: () => ({ page: "offerNew" }) },
  { pattern: /^\/offers\/([^/]+)\/?$/, build: ([id]) => ({ page: "offerEdit", id: decodeURIComponent(id ?? "") }) },
  { pattern: /^\/post-purchase\/?$/, build: () => ({ page: "postPurchase" }) },
  { pattern: /^\/post-purchase\/new\/?$/, build: () => ({ page: "postPurchaseNew" }) },
  {
    pattern: /^\/post-purchase\/([^/]+)\/?$/,
    build: ([id]) => ({ page: "postPurchaseEdit", id: decodeURIComponent(id ?? "") }),
  },
  { pattern: /^\/suggestions\/?$/, build: () => ({ page: "suggestions" }) },
  { pattern: /^\/analytics\/?$/, build: () => ({ page: "analytics" }) },
  { pattern: /^\/settings\/?$/, build: () => ({ page: "settings" }) },
  { pattern: /^\/widgets\/product\/?$/, build: () => ({ page: "productWidget" }) },
  { pattern: /^\/widgets\/order\/?$/, build: () => ({ page: "orderWidget" }) },
];

/** The part of a pathname below BASE ("/dashboard/offers" → "/offers"). */
export function stripBase(pathname: string): string {
  if (pathname === BASE) return "/";
  if (pathname.startsWith(`${BASE}/`)) return pathname.slice(BASE.length);
  return pathname;
}

export function matchRoute(pathname: string): Route {
  const path = stripBase(pathname);
  for (const { pattern, build } of MATCHERS) {
    const found = pattern.exec(path);
    if (found) return build(found.slice(1));
  }
  return { page: "notFound", path };
}

/** The path (below BASE, starting with "/") of a route; the inverse of matchRoute. */
export function pathOf(route: Route): string {
  switch (route.page) {
    case "offers":
      return "/offers";
    case "offerNew":
      return "/offers/new";
    case "offerEdit":
      return `/offers/${encodeURIComponent(route.id)}`;
    case "postPurchase":
      return "/post-purchase";
    case "postPurchaseNew":
      return "/post-purchase/new";
    case "postPurchaseEdit":
      return `/post-purchase/${encodeURIComponent(route.id)}`;
    case "suggestions":
      return "/suggestions";
    case "analytics":
      return "/analytics";
    case "settings":
      return "/settings";
    case "productWidget":
      return "/widgets/product";
    case "orderWidget":
      return "/widgets/order";
    case "notFound":
      return route.path;
  }
}

export function isWidget(route: Route): boolean {
  return route.page === "productWidget" || route.page === "orderWidget";
}
