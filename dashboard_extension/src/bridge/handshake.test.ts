import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeJwt } from "../test/jwt";
import { connectionState, EXPIRY_LEEWAY_MS, HANDSHAKE_TIMEOUT_MS, HandshakeGuard, readToken, type ConnectionInput } from "./handshake";

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0);
const token = (expiresIn: number) => fakeJwt({ exp: Math.floor((NOW + expiresIn) / 1000), app: "QXBwOjE=", email: "a@b.c" });
const base: ConnectionInput = { framed: true, saleorApiUrl: "http://saleor.test/graphql/", ready: false, token: undefined, rejected: null, now: NOW, startedAt: NOW };

describe("readToken", () => {
  it("reads the expiry of a JWT", () => {
    expect(readToken(token(60_000))).toEqual({ ok: true, expiresAt: Math.floor((NOW + 60_000) / 1000) * 1000 });
  });
  it.each([["not-a-jwt"], ["a.b.c"], [""], [undefined], [42]])("refuses %s", (value) => {
    expect(readToken(value).ok).toBe(false);
  });
});

describe("connectionState", () => {
  it("opens with a token that decodes and has not expired", () => {
    expect(connectionState({ ...base, ready: true, token: token(300_000) })).toEqual({ state: "ready" });
  });
  it("waits for the handshake, then says the dashboard did not answer", () => {
    expect(connectionState(base).state).toBe("connecting");
    expect(connectionState({ ...base, now: NOW + HANDSHAKE_TIMEOUT_MS - 1 }).state).toBe("connecting");
    expect(connectionState({ ...base, now: NOW + HANDSHAKE_TIMEOUT_MS }).state).toBe("noAnswer");
  });
  it("names a token that is not a JWT, whether the guard or the state has it", () => {
    expect(connectionState({ ...base, rejected: "the token is not a JWT" })).toEqual({ state: "badToken", problem: "the token is not a JWT" });
    expect(connectionState({ ...base, ready: true, token: "garbage" }).state).toBe("badToken");
  });
  it("says a token expired beyond the leeway has expired", () => {
    expect(connectionState({ ...base, ready: true, token: token(-EXPIRY_LEEWAY_MS + 5_000) }).state).toBe("ready");
    expect(connectionState({ ...base, ready: true, token: token(-EXPIRY_LEEWAY_MS - 5_000) }).state).toBe("expired");
  });
  it("explains a page opened outside the dashboard or without saleorApiUrl first", () => {
    expect(connectionState({ ...base, framed: false, rejected: "x" }).state).toBe("outsideDashboard");
    expect(connectionState({ ...base, saleorApiUrl: "" }).state).toBe("noApiUrl");
  });
});

describe("HandshakeGuard", () => {
  const DASHBOARD = "http://dashboard.test";
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  function send(data: unknown, origin = DASHBOARD) {
    window.dispatchEvent(new MessageEvent("message", { data, origin }));
  }

  it("holds back a handshake whose token is not a JWT, before listeners added earlier (app-sdk)", () => {
    const appSdk = vi.fn();
    window.addEventListener("message", appSdk);
    const guard = new HandshakeGuard();
    uninstall = guard.install(window, DASHBOARD);
    const seen = vi.fn();
    guard.subscribe(seen);

    send({ type: "handshake", payload: { token: "not-a-jwt", version: 1 } });
    expect(appSdk).not.toHaveBeenCalled();
    expect(guard.rejected()).toBe("the token is not a JWT");
    expect(seen).toHaveBeenCalledTimes(1);

    send({ type: "handshake", payload: { token: token(300_000), version: 1 } });
    send({ type: "theme", payload: { theme: "dark" } });
    send({ type: "handshake", payload: { token: "not-a-jwt" } }, "http://elsewhere.test");
    expect(appSdk).toHaveBeenCalledTimes(3);
    window.removeEventListener("message", appSdk);
  });
});
