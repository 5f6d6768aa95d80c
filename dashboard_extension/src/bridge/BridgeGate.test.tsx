import { AppBridgeProvider } from "@saleor/app-sdk/app-bridge";
import { ThemeProvider } from "@saleor/macaw-ui";
import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeBridge } from "../test/providers";
import { fakeJwt } from "../test/jwt";
import { BridgeGate } from "./BridgeGate";
import { HANDSHAKE_TIMEOUT_MS, HandshakeGuard } from "./handshake";

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0);

function renderGate(state: Record<string, unknown>, guard = new HandshakeGuard(), clock = () => NOW) {
  const { bridge } = fakeBridge(state);
  render(
    <AppBridgeProvider appBridgeInstance={bridge}>
      <ThemeProvider defaultTheme="defaultLight">
        <BridgeGate guard={guard} clock={clock} framed>
          <p>the app</p>
        </BridgeGate>
      </ThemeProvider>
    </AppBridgeProvider>,
  );
  return guard;
}

describe("BridgeGate", () => {
  afterEach(() => vi.useRealTimers());

  it("opens with a usable token", () => {
    renderGate({ ready: true, token: fakeJwt({ exp: NOW / 1000 + 300 }) });
    expect(screen.getByText("the app")).toBeTruthy();
  });

  it("says what to do when the token is not a JWT, instead of connecting forever", () => {
    const guard = renderGate({ ready: false, token: undefined });
    expect(screen.getByTestId("bridge-state").dataset.state).toBe("connecting");
    act(() => guard.reject("the token is not a JWT"));
    const state = screen.getByTestId("bridge-state");
    expect(state.dataset.state).toBe("badToken");
    expect(state.getAttribute("role")).toBe("alert");
    expect(screen.getByText("The dashboard's sign-in could not be read")).toBeTruthy();
    expect(state.textContent).toMatch(/the token is not a JWT.*Reload the dashboard page/);
    expect(screen.queryByText("the app")).toBeNull();
  });

  it("gives up waiting for the handshake after the timeout", () => {
    vi.useFakeTimers();
    let now = NOW;
    renderGate({ ready: false, token: undefined }, new HandshakeGuard(), () => now);
    expect(screen.getByText("Connecting to the dashboard…")).toBeTruthy();
    now += HANDSHAKE_TIMEOUT_MS;
    act(() => vi.advanceTimersByTime(HANDSHAKE_TIMEOUT_MS));
    expect(screen.getByTestId("bridge-state").dataset.state).toBe("noAnswer");
    expect(screen.getByText(/Reload the dashboard page/)).toBeTruthy();
  });

  it("says an expired session needs a reload", () => {
    renderGate({ ready: true, token: fakeJwt({ exp: NOW / 1000 - 3600 }) });
    expect(screen.getByText("Your dashboard session has expired")).toBeTruthy();
    expect(screen.queryByText("the app")).toBeNull();
  });
});
