/**
 * Render helpers for component tests: a fake app-bridge, the real urql client over a scripted fetch (the
 * handlers answer by operation name, as the app's /graphql would), the router and the theme.
 */
import { AppBridgeProvider, type AppBridge } from "@saleor/app-sdk/app-bridge";
import { ThemeProvider } from "@saleor/macaw-ui";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { vi } from "vitest";

import { ApiProvider } from "../api/ApiProvider";
import { createApiClient } from "../api/client";
import { LocaleProvider } from "../lib/locale";
import { IframeRouter } from "../router/Router";

export const TEST_API_URL = "http://saleor.test/graphql/";

export function fakeBridge(state: Record<string, unknown> = {}) {
  const dispatched: { type: string; payload: Record<string, unknown> }[] = [];
  const current = { token: "test-token", saleorApiUrl: TEST_API_URL, ready: true, theme: "light", id: "app", path: "/", locale: "en", formContext: {}, ...state };
  const bridge = {
    getState: () => current,
    subscribe: () => () => undefined,
    dispatch: vi.fn(async (action: { type: string; payload: Record<string, unknown> }) => {
      dispatched.push(action);
    }),
  };
  return { bridge: bridge as unknown as AppBridge, dispatched };
}

type Handler = (variables: Record<string, unknown>) => unknown;
export type Call = { method: string; operation: string; variables: Record<string, unknown>; headers: Record<string, string> };

/**
 * A fetch answering GraphQL POSTs by operation name: `{ RuleCreate: (vars) => data }`. A handler that throws
 * becomes a GraphQL error with its message; an operation without a handler fails the same way.
 */
export function scriptedFetch(handlers: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetchImpl = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body ?? "{}")) as { operationName?: string; query?: string; variables?: Record<string, unknown> };
    const operation = body.operationName ?? /(?:query|mutation)\s+(\w+)/.exec(body.query ?? "")?.[1] ?? "";
    const variables = body.variables ?? {};
    calls.push({ method: init?.method ?? "GET", operation, variables, headers: Object.fromEntries(new Headers(init?.headers).entries()) });
    const reply = (payload: unknown) => new Response(JSON.stringify(payload), { status: 200, headers: { "content-type": "application/json" } });
    const handler = handlers[operation];
    if (!handler) return reply({ data: null, errors: [{ message: `no handler for ${operation}` }] });
    try {
      return reply({ data: await handler(variables) });
    } catch (error) {
      return reply({ data: null, errors: [{ message: error instanceof Error ? error.message : String(error) }] });
    }
  }) as typeof fetch;
  return { fetchImpl, calls };
}

/** The real client of the app over `scriptedFetch(handlers)`. */
export function scriptedApi(handlers: Record<string, Handler>, credentials = { token: "test-token", saleorApiUrl: TEST_API_URL }) {
  const { fetchImpl, calls } = scriptedFetch(handlers);
  return { client: createApiClient(() => credentials, fetchImpl, "http://app.test/graphql"), calls };
}

export function renderWithApp(
  ui: ReactElement,
  { api, path = "/dashboard/offers", locale }: { api: ReturnType<typeof scriptedApi>; path?: string; locale?: string },
) {
  window.history.replaceState(null, "", `${path}?saleorApiUrl=${encodeURIComponent(TEST_API_URL)}`);
  const { bridge, dispatched } = fakeBridge();
  const result = render(
    <AppBridgeProvider appBridgeInstance={bridge}>
      <ThemeProvider defaultTheme="defaultLight">
        <ApiProvider client={api.client}>
          <LocaleProvider locale={locale}>
            <IframeRouter>{ui}</IframeRouter>
          </LocaleProvider>
        </ApiProvider>
      </ThemeProvider>
    </AppBridgeProvider>,
  );
  return { ...result, dispatched };
}
