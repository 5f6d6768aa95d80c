/** Numbers of an experiment for people: signed money, points, intervals (pure; tested). */
import type { DifferenceFields } from "../../api/types";

type Money = (amount: number | string, currency: string) => string;

export function signedMoney(amount: string, currency: string, money: Money): string {
  const value = Number(amount);
  if (value === 0) return money(0, currency);
  return `${value > 0 ? "+" : "−"}${money(Math.abs(value), currency)}`;
}

/** A completion-rate difference (a fraction) as points: "-3.1 points". */
export function signedPoints(fraction: string | number): string {
  const points = Number(fraction) * 100;
  const rounded = Math.abs(points) < 0.05 ? 0 : points;
  return `${rounded > 0 ? "+" : rounded < 0 ? "−" : ""}${Math.abs(rounded).toFixed(1)} points`;
}

export function percent(fraction: number | null): string {
  return fraction === null ? "—" : `${(fraction * 100).toFixed(1)}%`;
}

/** "−$0.31 to +$0.40" from the always-valid bounds, or null when there is no interval yet. */
export function moneyInterval(difference: DifferenceFields | null, currency: string, money: Money): string | null {
  if (!difference || difference.low === null || difference.high === null) return null;
  return `${signedMoney(difference.low, currency, money)} to ${signedMoney(difference.high, currency, money)}`;
}

export function pointsInterval(difference: DifferenceFields | null): string | null {
  if (!difference || difference.low === null || difference.high === null) return null;
  return `${signedPoints(difference.low)} to ${signedPoints(difference.high)}`;
}

/** Capitalise the verdict sentence (the server starts it in lower case so a name can go in front). */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith(".") ? "" : ".");
}
