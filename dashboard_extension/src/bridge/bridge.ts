/** The one AppBridge instance of this page, and small helpers around it. */
import { AppBridge, actions, type NotificationPayload } from "@saleor/app-sdk/app-bridge";

let instance: AppBridge | undefined;

export function isInIframe(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true; // cross-origin parent: certainly framed
  }
}

/** Created on first use, in the browser only (app-bridge sends notifyReady from its constructor). */
export function getAppBridge(): AppBridge {
  instance ??= new AppBridge();
  return instance;
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
