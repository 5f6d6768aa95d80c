/** Keeps macaw-ui's theme equal to the dashboard's (initial ?theme=, then `theme` events). */
import { useBridgeState } from "./useBridgeState";
import { useTheme } from "@saleor/macaw-ui";
import { useEffect } from "react";

export function toMacawTheme(theme: string | undefined): "defaultLight" | "defaultDark" {
  return theme === "dark" ? "defaultDark" : "defaultLight";
}

export function ThemeSync() {
  const appBridgeState = useBridgeState();
  const { setTheme } = useTheme();
  const theme = appBridgeState?.theme;

  useEffect(() => {
    if (theme) setTheme(toMacawTheme(theme));
  }, [theme, setTheme]);

  return null;
}
