import { describe, expect, it } from "vitest";

import { keepSearch, pageOf, paths, stripBase, type Page } from "./routes";

describe("routes", () => {
  it.each<[string, Page | null, Record<string, string>?]>([
    ["/dashboard/", "offers"],
    ["/dashboard", "offers"],
    ["/dashboard/offers", "offers"],
    ["/dashboard/offers/new", "offerNew"],
    ["/dashboard/offers/12", "offerEdit", { id: "12" }],
    ["/dashboard/post-purchase/3/", "postPurchaseEdit", { id: "3" }],
    ["/dashboard/post-purchase/new", "postPurchaseNew"],
    ["/dashboard/widgets/product", "productWidget"],
    ["/dashboard/widgets/order", "orderWidget"],
    ["/dashboard/settings", "settings"],
    ["/dashboard/nope", null],
    ["/dashboard/offers/1/2", null],
  ])("%s", (pathname, page, params) => {
    const found = pageOf(stripBase(pathname));
    expect(found?.page ?? null).toBe(page);
    if (params) expect(found?.params).toMatchObject(params);
  });

  it("builds paths that lead back to their page", () => {
    const built: [string, Page][] = [
      [paths.offers, "offers"],
      [paths.offerNew, "offerNew"],
      [paths.offerEdit("7"), "offerEdit"],
      [paths.postPurchase, "postPurchase"],
      [paths.postPurchaseNew, "postPurchaseNew"],
      [paths.postPurchaseEdit("8"), "postPurchaseEdit"],
      [paths.suggestions, "suggestions"],
      [paths.analytics, "analytics"],
      [paths.settings, "settings"],
    ];
    for (const [path, page] of built) expect(pageOf(path)?.page).toBe(page);
    expect(pageOf(paths.offerEdit("a/b"))?.page).toBe("offerEdit");
  });

  it("keeps the iframe's query string on navigation", () => {
    expect(keepSearch("/dashboard/settings", "?saleorApiUrl=x&id=y")).toBe("/dashboard/settings?saleorApiUrl=x&id=y");
    expect(keepSearch("/dashboard/settings", "saleorApiUrl=x")).toBe("/dashboard/settings?saleorApiUrl=x");
    expect(keepSearch("/dashboard/settings", "")).toBe("/dashboard/settings");
    expect(keepSearch("/dashboard/widgets/order?orderId=1", "?saleorApiUrl=x")).toBe("/dashboard/widgets/order?orderId=1");
  });

  it("strips the base and any query string", () => {
    expect(stripBase("/dashboard/offers/7?x=1")).toBe("/offers/7");
    expect(stripBase("/dashboard")).toBe("/");
    expect(stripBase("/elsewhere")).toBe("/elsewhere");
  });
});
