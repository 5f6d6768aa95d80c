import "@saleor/macaw-ui/style";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { getAppBridge, getHandshakeGuard } from "./bridge/bridge";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App appBridge={getAppBridge()} guard={getHandshakeGuard()} />
    </StrictMode>,
  );
}
