import { describe, expect, it } from "vitest";

import { matchRoute, pathOf, type Route } from "./routes";

describe("routes", () => {
  it.each<[string, Route]>([
    ["/dashboard/", { page: "offers" }],
    ["/dashboard", { page: "offers" }],
    ["/dashboard/offers", { page: "offers" }],
    ["/dashboard/offers/new", { page: "offerNew" }],
    ["/dashboard/offers/12", { page: "offerEdit", id: "12" }],
    ["/dashboard/post-purchase/3/", { page: "postPurchaseEdit", id: "3" }],
    ["/dashboard/widgets/product", { page: "productWidget" }],
    ["/dashboard/settings", { page: "settings" }],
    ["/dashboard/nope", { page: "notFound", path: "/nope" }],
  ])("%s", (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });

  it("pathOf inverts matchRoute", () => {
    for (const path of ["/offers", "/offers/new", "/offers/7", "/post-purchase", "/suggestions", "/analytics", "/settings"]) {
      expect(pathOf(matchRoute(`/dashboard${path}`))).toBe(path);
    }
  });
});
