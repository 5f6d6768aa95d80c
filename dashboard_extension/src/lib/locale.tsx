/** The dashboard user's locale (app-bridge `localeChanged`), for formatting money and numbers. */
import { createContext, useCallback, useContext, type ReactNode } from "react";

import { useBridgeState } from "../bridge/useBridgeState";
import { formatMoney } from "./money";

const LocaleContext = createContext("en");

export function LocaleProvider({ children, locale }: { children: ReactNode; locale?: string }) {
  const bridge = useBridgeState();
  return <LocaleContext.Provider value={locale ?? bridge?.locale ?? "en"}>{children}</LocaleContext.Provider>;
}

export function useLocale(): string {
  return useContext(LocaleContext);
}

/** formatMoney in the user's locale: `money("9.99", "EUR")` → "€9.99" (en), "9,99 €" (de). */
export function useMoney(): (amount: number | string, currency: string) => string {
  const locale = useLocale();
  return useCallback((amount, currency) => formatMoney(amount, currency, locale), [locale]);
}
