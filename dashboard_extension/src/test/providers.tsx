/** Render helpers for component tests: a fake app-bridge, a scripted API, the router and the theme. */
import { AppBridgeProvider, type AppBridge } from "@saleor/app-sdk/app-bridge";
import { ThemeProvider } from "@saleor/macaw-ui";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { vi } from "vitest";

import { ApiProvider } from "../api/ApiProvider";
import type { Request } from "../api/client";
import { RouterProvider } from "../router/Router";

export function fakeBridge() {
  const dispatched: { type: string; payload: Record<string, unknown> }[] = [];
  const bridge = {
    getState: () => ({ token: "test-token", saleorApiUrl: "http://saleor.test/graphql/", ready: true, theme: "light", id: "app", path: "/", locale: "en", formContext: {} }),
    subscribe: () => () => undefined,
    dispatch: vi.fn(async (action: { type: string; payload: Record<string, unknown> }) => {
      dispatched.push(action);
    }),
  };
  return { bridge: bridge as unknown as AppBridge, dispatched };
}

/** A Request answering by operation name: `{ RuleCreate: (vars) => data }`. */
export function scriptedRequest(handlers: Record<string, (variables: Record<string, unknown>) => unknown>) {
  const calls: { operation: string; variables: Record<string, unknown> }[] = [];
  const request = (async (query: string, variables?: object) => {
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "";
    calls.push({ operation, variables: (variables ?? {}) as Record<string, unknown> });
    const handler = handlers[operation];
    if (!handler) throw new Error(`no handler for ${operation}`);
    return handler((variables ?? {}) as Record<string, unknown>);
  }) as Request;
  return { request, calls };
}

export function renderWithApp(ui: ReactElement, { request, path = "/dashboard/offers" }: { request: Request; path?: string }) {
  window.history.replaceState(null, "", `${path}?saleorApiUrl=http%3A%2F%2Fsaleor.test%2Fgraphql%2F`);
  const { bridge, dispatched } = fakeBridge();
  const result = render(
    <AppBridgeProvider appBridgeInstance={bridge}>
      <ThemeProvider defaultTheme="defaultLight">
        <ApiProvider request={request}>
          <RouterProvider>{ui}</RouterProvider>
        </ApiProvider>
      </ThemeProvider>
    </AppBridgeProvider>,
  );
  return { ...result, dispatched };
}
