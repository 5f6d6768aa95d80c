import { CombinedError } from "urql";
import { describe, expect, it } from "vitest";

import { scriptedFetch } from "../test/providers";
import { createApiClient, dataOf, describeError } from "./client";
import { ChannelsDocument } from "./generated";

describe("createApiClient", () => {
  it("POSTs with the token and Saleor URL read when each request is sent (tokenRefresh)", async () => {
    const { fetchImpl, calls } = scriptedFetch({ Channels: () => ({ channels: [] }) });
    const credentials = { token: "first", saleorApiUrl: "http://saleor.test/graphql/" };
    const client = createApiClient(() => credentials, fetchImpl, "http://app.test/graphql");
    expect(dataOf(await client.query(ChannelsDocument, {}, { requestPolicy: "network-only" }).toPromise())).toEqual({ channels: [] });
    credentials.token = "refreshed";
    await client.query(ChannelsDocument, {}, { requestPolicy: "network-only" }).toPromise();
    expect(calls.map((c) => [c.method, c.operation, c.headers["authorization-bearer"], c.headers["saleor-api-url"]])).toEqual([
      ["POST", "Channels", "first", "http://saleor.test/graphql/"],
      ["POST", "Channels", "refreshed", "http://saleor.test/graphql/"],
    ]);
  });
});

describe("describeError", () => {
  const graphql = (message: string, code?: string) =>
    new CombinedError({ graphQLErrors: [{ message, extensions: code ? { code } : {} }] });

  it("tells what to do when the API refuses the session", () => {
    expect(describeError(graphql("The dashboard token has expired.", "UNAUTHENTICATED"))).toBe(
      "The app could not verify your dashboard session (The dashboard token has expired.). Reload the dashboard page and try again.",
    );
  });
  it("passes a permission refusal's own sentence on", () => {
    expect(describeError(graphql("You need the MANAGE_DISCOUNTS permission.", "PERMISSION_DENIED"))).toBe("You need the MANAGE_DISCOUNTS permission.");
  });
  it("says when the app could not be reached, and joins other errors", () => {
    expect(describeError(new CombinedError({ networkError: new Error("Failed to fetch") }))).toBe("Could not reach the app: Failed to fetch");
    expect(describeError(new CombinedError({ graphQLErrors: [{ message: "a" }, { message: "b" }] }))).toBe("a; b");
    expect(describeError(new Error("boom"))).toBe("boom");
  });
});
