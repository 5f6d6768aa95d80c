import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Link, useLocation } from "wouter";

import { IframeRouter, useSearchParams } from "./Router";

function Where() {
  const [location] = useLocation();
  return <span data-testid="where">{`${location} ${useSearchParams().get("saleorApiUrl") ?? "-"}`}</span>;
}

describe("IframeRouter", () => {
  it("keeps the query string and reports the path below /dashboard", () => {
    window.history.replaceState(null, "", "/dashboard/offers?saleorApiUrl=http%3A%2F%2Fsaleor.test%2Fgraphql%2F&id=app");
    const reported: string[] = [];
    render(
      <IframeRouter onNavigate={(path) => reported.push(path)}>
        <Where />
        <Link href="/settings">Settings</Link>
      </IframeRouter>,
    );
    expect(screen.getByTestId("where").textContent).toBe("/offers http://saleor.test/graphql/");
    fireEvent.click(screen.getByText("Settings"));
    expect(window.location.pathname).toBe("/dashboard/settings");
    expect(window.location.search).toBe("?saleorApiUrl=http%3A%2F%2Fsaleor.test%2Fgraphql%2F&id=app");
    expect(screen.getByTestId("where").textContent).toBe("/settings http://saleor.test/graphql/");
    expect(reported).toEqual(["/settings"]);
  });
});
