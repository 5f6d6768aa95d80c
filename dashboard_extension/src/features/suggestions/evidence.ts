/** Reading the evidence JSON of a suggestion (support, confidence, lift, counts) defensively. */
export type Evidence = { support?: number; confidence?: number; lift?: number; pairOrders?: number; orders?: number };

function num(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

export function readEvidence(raw: unknown): Evidence {
  const data = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  return {
    support: num(data.support),
    confidence: num(data.confidence),
    lift: num(data.lift),
    pairOrders: num(data.pair_orders ?? data.pairOrders ?? data.co_occurrences ?? data.count),
    orders: num(data.orders ?? data.total_orders ?? data.baskets),
  };
}

/** "62% of buyers of X also bought Y": only when there is a confidence to quote. */
export function proofSentence(evidence: Evidence, antecedent: string, consequent: string): string | null {
  if (evidence.confidence === undefined) return null;
  return `${Math.round(evidence.confidence * 100)}% of orders with ${antecedent} also had ${consequent}`;
}
