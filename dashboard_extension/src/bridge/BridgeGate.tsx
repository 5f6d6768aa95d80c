/**
 * Renders its children once the dashboard handed over a usable token; otherwise says what is wrong and what
 * to do. Once open it stays open: a token that expires later is the API's to refuse (its error says reload),
 * so a half-filled form is never thrown away.
 */
import { useEffect, useState, useSyncExternalStore, type ReactNode } from "react";

import { Centered } from "../components/Centered";
import { isInIframe } from "./bridge";
import { connectionState, HANDSHAKE_TIMEOUT_MS, type Connection, type HandshakeGuard } from "./handshake";
import { useBridgeState } from "./useBridgeState";

const NO_GUARD = { rejected: () => null, subscribe: () => () => undefined };

type Props = {
  children: ReactNode;
  guard?: HandshakeGuard;
  /** Tests pass the clock and whether the page is framed; the app uses the real ones. */
  clock?: () => number;
  framed?: boolean;
};

export function BridgeGate({ children, guard, clock = Date.now, framed = isInIframe() }: Props) {
  const bridge = useBridgeState();
  const source = guard ?? NO_GUARD;
  const rejected = useSyncExternalStore(source.subscribe, source.rejected);
  const [startedAt] = useState(clock);
  const [now, setNow] = useState(startedAt);
  const [opened, setOpened] = useState(false);

  const connection = connectionState({
    framed,
    saleorApiUrl: bridge?.saleorApiUrl,
    ready: Boolean(bridge?.ready),
    token: bridge?.token,
    rejected,
    now,
    startedAt,
  });

  useEffect(() => {
    if (connection.state === "ready") setOpened(true);
  }, [connection.state]);

  // Wake up when the wait for the handshake runs out (the state is recomputed from the new `now`).
  useEffect(() => {
    if (connection.state !== "connecting") return;
    const timer = window.setTimeout(() => setNow(clock()), Math.max(0, startedAt + HANDSHAKE_TIMEOUT_MS - clock()));
    return () => window.clearTimeout(timer);
  }, [connection.state, startedAt, clock]);

  // Re-read the clock on every bridge event, so a late handshake is judged by the time it came.
  useEffect(() => setNow(clock()), [bridge, clock]);

  if (opened || connection.state === "ready") return <>{children}</>;
  return <ConnectionProblem connection={connection} />;
}

function ConnectionProblem({ connection }: { connection: Exclude<Connection, { state: "ready" }> }) {
  switch (connection.state) {
    case "outsideDashboard":
      return (
        <Centered state={connection.state} title="Open this app from the Saleor Dashboard">
          Install the app in your Saleor Dashboard (Apps → Install from manifest) and open it from there: the
          dashboard signs you in.
        </Centered>
      );
    case "noApiUrl":
      return (
        <Centered state={connection.state} title="Missing Saleor API address">
          The dashboard did not pass <code>saleorApiUrl</code> in the address of this page. Reopen the app from the
          dashboard.
        </Centered>
      );
    case "connecting":
      return <Centered state={connection.state} title="Connecting to the dashboard…" loading />;
    case "noAnswer":
      return (
        <Centered state={connection.state} title="The dashboard did not answer">
          This page waited {HANDSHAKE_TIMEOUT_MS / 1000} seconds for the Saleor Dashboard to sign it in. Reload the
          dashboard page. If you opened this address directly, open the app from the dashboard instead (Apps → Upsell).
        </Centered>
      );
    case "badToken":
      return (
        <Centered state={connection.state} title="The dashboard's sign-in could not be read">
          The Saleor Dashboard handed this app a token it cannot use ({connection.problem}), so nothing was loaded.
          Reload the dashboard page to get a new one. If it happens again, something between the dashboard and the app
          (a proxy or a browser extension) may alter its messages: open the dashboard without it, or ask your Saleor
          administrator.
        </Centered>
      );
    case "expired":
      return (
        <Centered state={connection.state} title="Your dashboard session has expired">
          The token the dashboard handed over is no longer valid. Reload the dashboard page to sign in again.
        </Centered>
      );
  }
}
