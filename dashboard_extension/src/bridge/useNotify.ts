import { useAppBridge } from "@saleor/app-sdk/app-bridge";
import { useCallback } from "react";

import { notify } from "./bridge";

/** Dashboard toasts: `success("Offer saved")`, `error("Could not save", details)`. */
export function useNotify() {
  const { appBridge } = useAppBridge();
  const success = useCallback(
    (title: string, text?: string) => notify(appBridge, { status: "success", title, text }),
    [appBridge],
  );
  const error = useCallback(
    (title: string, text?: string) => notify(appBridge, { status: "error", title, text }),
    [appBridge],
  );
  return { success, error };
}
