// When a crashed server comes back, as a pure function of the policy, the crashes so far and the
// uptime before this one.
import type { RestartPolicy } from "@berth/protocol";

export const CRASH_LOOP_REASON = "crash loop — auto-restart paused";

export type RestartVerdict =
  { kind: "restart"; delayMs: number } | { kind: "crash_loop" } | { kind: "off" };

export interface RestartStep {
  /** Consecutive crashes, this one included. */
  streak: number;
  verdict: RestartVerdict;
}

/**
 * A server that stayed up for `resetAfterMs` starts a new streak. The crash that brings the streak
 * to `maxConsecutiveCrashes` is a crash loop; before that, the n-th crash waits `delaysMs[n-1]`
 * (the last delay repeats).
 */
export function nextRestart(
  policy: RestartPolicy,
  previousStreak: number,
  uptimeMs: number,
): RestartStep {
  const streak = uptimeMs >= policy.resetAfterMs ? 1 : previousStreak + 1;
  if (!policy.enabled) return { streak, verdict: { kind: "off" } };
  if (streak >= policy.maxConsecutiveCrashes) return { streak, verdict: { kind: "crash_loop" } };
  const delayMs = policy.delaysMs[Math.min(streak, policy.delaysMs.length) - 1]!;
  return { streak, verdict: { kind: "restart", delayMs } };
}
