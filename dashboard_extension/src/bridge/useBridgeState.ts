/**
 * The app-bridge state, re-read on every dashboard event. Unlike a plain subscription it also re-reads the
 * state right after subscribing, so a handshake that arrived before React mounted is never missed.
 */
import { useAppBridge, type AppBridgeState } from "@saleor/app-sdk/app-bridge";
import { useEffect, useState } from "react";

const EVENTS = ["handshake", "theme", "redirect", "tokenRefresh", "localeChanged"] as const;

export function useBridgeState(): AppBridgeState | null {
  const { appBridge } = useAppBridge();
  const [state, setState] = useState<AppBridgeState | null>(() => appBridge?.getState() ?? null);

  useEffect(() => {
    if (!appBridge) return;
    const update = () => setState({ ...appBridge.getState() });
    const unsubscribes = EVENTS.map((event) => appBridge.subscribe(event, update));
    update();
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  }, [appBridge]);

  return state;
}
