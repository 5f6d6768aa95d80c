/**
 * The app's pages, the wouter patterns that reach them (below BASE) and builders for their paths.
 * Pure: no DOM, easy to test. Pages.tsx renders ROUTES in this order (first match wins).
 */
import { parse } from "regexparam";
import { matchRoute } from "wouter";

export const BASE = "/dashboard";

export type Page =
  | "offers"
  | "offerNew"
  | "offerEdit"
  | "postPurchase"
  | "postPurchaseNew"
  | "postPurchaseEdit"
  | "suggestions"
  | "analytics"
  | "settings"
  | "productWidget"
  | "orderWidget";

export const ROUTES: readonly { page: Page; pattern: string }[] = [
  { page: "offers", pattern: "/" },
  { page: "offers", pattern: "/offers" },
  { page: "offerNew", pattern: "/offers/new" },
  { page: "offerEdit", pattern: "/offers/:id" },
  { page: "postPurchase", pattern: "/post-purchase" },
  { page: "postPurchaseNew", pattern: "/post-purchase/new" },
  { page: "postPurchaseEdit", pattern: "/post-purchase/:id" },
  { page: "suggestions", pattern: "/suggestions" },
  { page: "analytics", pattern: "/analytics" },
  { page: "settings", pattern: "/settings" },
  { page: "productWidget", pattern: "/widgets/product" },
  { page: "orderWidget", pattern: "/widgets/order" },
];

const id = (value: string) => encodeURIComponent(value);

/** Paths below BASE, for navigate() and <Link href>. */
export const paths = {
  offers: "/offers",
  offerNew: "/offers/new",
  offerEdit: (ruleId: string) => `/offers/${id(ruleId)}`,
  postPurchase: "/post-purchase",
  postPurchaseNew: "/post-purchase/new",
  postPurchaseEdit: (ruleId: string) => `/post-purchase/${id(ruleId)}`,
  suggestions: "/suggestions",
  analytics: "/analytics",
  settings: "/settings",
} as const;

/** The page a path below BASE shows, with its parameters; null for no page (not found). */
export function pageOf(path: string): { page: Page; params: Record<string, string | undefined> } | null {
  for (const { page, pattern } of ROUTES) {
    const [matched, params] = matchRoute(parse, pattern, path);
    if (matched) return { page, params };
  }
  return null;
}

/** The part of a pathname below BASE ("/dashboard/offers" → "/offers"), without a query string. */
export function stripBase(pathname: string): string {
  const path = pathname.split("?")[0] ?? "";
  if (path === BASE) return "/";
  if (path.startsWith(`${BASE}/`)) return path.slice(BASE.length);
  return path;
}

/**
 * Navigation inside the iframe keeps the iframe's query string (saleorApiUrl, id, theme...), which app-bridge
 * and the widgets read, and reports the new path to the dashboard so a dashboard reload reopens it.
 */
export function keepSearch(to: string, search: string): string {
  return to.includes("?") || !search ? to : `${to}${search.startsWith("?") ? search : `?${search}`}`;
}
