/**
 * The urql client of the app's own API (/graphql on the app's origin), with the two headers the backend
 * checks: the dashboard token and the Saleor API URL of the installation. Both are read when each request
 * is sent, so a `tokenRefresh` from the dashboard applies to the next request without a new client.
 */
import { CombinedError, Client, cacheExchange, fetchExchange, type OperationResult } from "urql";

export type Credentials = { token: string; saleorApiUrl: string };

export const API_PATH = "/graphql";

export function createApiClient(
  credentials: () => Credentials,
  fetchImpl: typeof fetch = (...args) => window.fetch(...args),
  url: string = API_PATH,
): Client {
  return new Client({
    url,
    fetch: fetchImpl,
    // The document cache: a page shows what it had at once and refreshes it; a mutation that returns a
    // Rule (or settings...) re-runs the queries that showed one.
    exchanges: [cacheExchange, fetchExchange],
    requestPolicy: "cache-and-network",
    // POST with a JSON body, never the token-carrying query in a URL.
    preferGetMethod: false,
    fetchOptions: () => {
      const { token, saleorApiUrl } = credentials();
      return { headers: { "authorization-bearer": token, "saleor-api-url": saleorApiUrl } };
    },
  });
}

/** `extensions.code` of the API's refusals (see saleor_upsell_app/api/schema.py). */
function refusal(error: CombinedError): { code: string; message: string } | null {
  for (const item of error.graphQLErrors) {
    const code = item.extensions?.code;
    if (code === "UNAUTHENTICATED" || code === "PERMISSION_DENIED") return { code, message: item.message };
  }
  return null;
}

/** A short sentence for an error state: what went wrong and, where there is one, what to do. */
export function describeError(error: unknown): string {
  if (error instanceof CombinedError) {
    const refused = refusal(error);
    const status = error.response instanceof Response ? error.response.status : undefined;
    if (refused?.code === "UNAUTHENTICATED" || status === 401) {
      return `The app could not verify your dashboard session${refused ? ` (${refused.message})` : ""}. Reload the dashboard page and try again.`;
    }
    if (refused?.code === "PERMISSION_DENIED" || status === 403) {
      return refused?.message ?? "Your Saleor account lacks a permission this needs.";
    }
    if (error.networkError) return `Could not reach the app: ${error.networkError.message}`;
    if (error.graphQLErrors.length) return error.graphQLErrors.map((item) => item.message).join("; ");
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The data of an operation's result, or its error thrown (one try/catch then covers transport and API). */
export function dataOf<T>(result: OperationResult<T>): T {
  if (result.error) throw result.error;
  if (result.data === undefined) throw new Error("The app answered without data.");
  return result.data;
}
