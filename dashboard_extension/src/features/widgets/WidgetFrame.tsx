/** A compact frame for dashboard widgets; reports its height so the dashboard sizes the iframe. */
import { useAppBridge, useWidgetAutoResize } from "@saleor/app-sdk/app-bridge";
import { Box } from "@saleor/macaw-ui";
import { useRef, type ReactNode } from "react";

export function WidgetFrame({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const { appBridge } = useAppBridge();
  useWidgetAutoResize(ref, Boolean(appBridge));
  return (
    <Box ref={ref} display="flex" flexDirection="column" gap={2} padding={3}>
      {children}
    </Box>
  );
}
