/** A rule's status as a merchant thinks of it. */
export type RuleStatus = "active" | "paused" | "scheduled" | "ended";

export function ruleStatus(
  rule: { enabled: boolean; startsAt?: string | null; endsAt?: string | null },
  now: Date = new Date(),
): RuleStatus {
  if (!rule.enabled) return "paused";
  if (rule.endsAt && new Date(rule.endsAt) <= now) return "ended";
  if (rule.startsAt && new Date(rule.startsAt) > now) return "scheduled";
  return "active";
}

export const STATUS_LABEL: Record<RuleStatus, string> = {
  active: "Active",
  paused: "Paused",
  scheduled: "Scheduled",
  ended: "Ended",
};
