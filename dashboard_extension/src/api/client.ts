/**
 * GraphQL over fetch to the app's own API (/graphql on the app's origin), with the two headers the backend
 * checks: the dashboard token and the Saleor API URL of the installation.
 */

export type GraphQLErrorItem = { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> };

export class ApiError extends Error {
  constructor(
    message: string,
    readonly kind: "network" | "http" | "graphql",
    readonly status?: number,
    readonly errors: GraphQLErrorItem[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type Credentials = { token: string; saleorApiUrl: string };

export type Request = <TData, TVariables extends object = Record<string, never>>(
  query: string,
  variables?: TVariables,
) => Promise<TData>;

export const API_PATH = "/graphql";

export function createRequest(
  credentials: () => Credentials,
  fetchImpl: typeof fetch = (...args) => window.fetch(...args),
  endpoint: string = API_PATH,
): Request {
  return async <TData, TVariables extends object>(query: string, variables?: TVariables) => {
    const { token, saleorApiUrl } = credentials();
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          "authorization-bearer": token,
          "saleor-api-url": saleorApiUrl,
        },
        body: JSON.stringify({ query, variables: variables ?? {} }),
      });
    } catch (cause) {
      throw new ApiError(`Could not reach the app: ${String(cause)}`, "network");
    }
    const body = (await response.json().catch(() => null)) as {
      data?: TData;
      errors?: GraphQLErrorItem[];
    } | null;
    if (body?.errors?.length) {
      throw new ApiError(body.errors.map((e) => e.message).join("; "), "graphql", response.status, body.errors);
    }
    if (!response.ok || !body || body.data === undefined) {
      throw new ApiError(`The app answered ${response.status} ${response.statusText}`.trim(), "http", response.status);
    }
    return body.data;
  };
}

/** A short sentence for an error state. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) {
      return "The app could not verify your dashboard session. Reload the dashboard page and try again.";
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
