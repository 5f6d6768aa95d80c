/** Money helpers: per-currency decimal places (ISO 4217), parsing what merchants type, formatting. */

const ZERO_DECIMALS = new Set([
  "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
]);
const THREE_DECIMALS = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function currencyDecimals(currency: string): number {
  if (ZERO_DECIMALS.has(currency)) return 0;
  if (THREE_DECIMALS.has(currency)) return 3;
  return 2;
}

export type AmountCheck = { ok: true; value: number } | { ok: false; message: string };

/** Checks an amount typed for `currency`: a positive number with no more decimals than the currency has. */
export function checkAmount(raw: string, currency: string): AmountCheck {
  const text = raw.trim();
  if (text === "") return { ok: false, message: `Enter an amount in ${currency}` };
  if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, message: "Use digits and a dot, e.g. 12.50" };
  const value = Number(text);
  if (!(value > 0)) return { ok: false, message: "Must be greater than 0" };
  const decimals = text.includes(".") ? (text.split(".")[1] ?? "").length : 0;
  const allowed = currencyDecimals(currency);
  if (decimals > allowed) {
    return { ok: false, message: allowed === 0 ? `${currency} has no decimal places` : `${currency} allows ${allowed} decimal places` };
  }
  return { ok: true, value };
}

/**
 * The one money formatter: Intl.NumberFormat in `locale` (the dashboard user's, see useMoney), with the
 * currency's own decimal places. An unknown locale falls back to English, an unknown currency to "9.99 XYZ".
 */
export function formatMoney(amount: number | string, currency: string, locale = "en"): string {
  const value = typeof amount === "string" ? Number(amount) : amount;
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  const digits = currencyDecimals(currency);
  const options = { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits } as const;
  for (const candidate of [locale, "en"]) {
    try {
      return new Intl.NumberFormat(candidate, options).format(value);
    } catch {
      // RangeError: a locale (or currency) Intl does not know; try English, then the plain form.
    }
  }
  return `${value.toFixed(digits)} ${currency}`;
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(digits)}%`;
}
