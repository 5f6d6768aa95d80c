/** The one AppBridge instance of this page, and small helpers around it. */
import { AppBridge, actions, type NotificationPayload } from "@saleor/app-sdk/app-bridge";

import { HandshakeGuard } from "./handshake";

let instance: AppBridge | undefined;
const guard = new HandshakeGuard();

export function isInIframe(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true; // cross-origin parent: certainly framed
  }
}

/** app-sdk accepts messages only from the origin of document.referrer (the dashboard). */
function dashboardOrigin(): string | undefined {
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Created on first use, in the browser only (app-bridge sends notifyReady from its constructor). The
 * handshake guard is installed first, so no handshake reaches app-sdk unchecked.
 */
export function getAppBridge(): AppBridge {
  if (!instance) {
    guard.install(window, dashboardOrigin());
    instance = new AppBridge();
  }
  return instance;
}

export function getHandshakeGuard(): HandshakeGuard {
  return guard;
}

/** Shows a toast in the dashboard; never throws (an old dashboard may not answer). */
export async function notify(bridge: AppBridge | undefined, payload: NotificationPayload): Promise<void> {
  if (!bridge) return;
  try {
    await bridge.dispatch(actions.Notification(payload));
  } catch {
    // The dashboard did not confirm; nothing useful to do about a lost toast.
  }
}

/** Tells the dashboard the app's own route, so a dashboard reload reopens the same page. */
export async function reportRoute(bridge: AppBridge | undefined, path: string): Promise<void> {
  if (!bridge) return;
  try {
    await bridge.dispatch(actions.UpdateRouting({ newRoute: path }));
  } catch {
    // Optional: older dashboards ignore it.
  }
}

/** Opens a dashboard page (e.g. "/products/<id>") in the dashboard itself. */
export async function redirectInDashboard(bridge: AppBridge | undefined, to: string): Promise<void> {
  if (!bridge) return;
  try {
    await bridge.dispatch(actions.Redirect({ to }));
  } catch {
    // Ignored, as for notifications.
  }
}
