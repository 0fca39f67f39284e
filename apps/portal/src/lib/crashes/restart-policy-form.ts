/**
 * The restart policy form: what people type (seconds, a comma list of delays) and what the portal
 * takes. The bounds mirror the protocol's RestartPolicy, in seconds.
 */

export interface RestartPolicyValues {
  autoRestart: boolean;
  restartDelaysS: number[];
  restartResetS: number;
  crashLoopAfter: number;
}

export interface RestartPolicyDraft {
  autoRestart: boolean;
  /** "30, 60, 120" */
  delays: string;
  resetAfter: string;
  crashLoopAfter: string;
}

export type RestartPolicyErrors = Partial<
  Record<Exclude<keyof RestartPolicyDraft, "autoRestart">, string>
>;

export const POLICY_BOUNDS = {
  delayMaxS: 86_400,
  delaysMax: 10,
  resetMaxS: 86_400,
  crashLoopMax: 100,
} as const;

export function draftOf(policy: RestartPolicyValues): RestartPolicyDraft {
  return {
    autoRestart: policy.autoRestart,
    delays: policy.restartDelaysS.join(", "),
    resetAfter: String(policy.restartResetS),
    crashLoopAfter: String(policy.crashLoopAfter),
  };
}

function wholeNumber(raw: string, min: number, max: number): number | string {
  const text = raw.trim();
  if (text === "") return "Enter a number.";
  if (!/^\d+$/.test(text)) return "Enter a whole number.";
  const value = Number(text);
  if (value < min) return `At least ${min.toLocaleString("en-US")}.`;
  if (value > max) return `At most ${max.toLocaleString("en-US")}.`;
  return value;
}

/** "30, 60 120" → [30, 60, 120]; commas and spaces both separate. */
export function parseDelays(raw: string): number[] | string {
  const parts = raw
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) return "Enter at least one delay, in seconds.";
  if (parts.length > POLICY_BOUNDS.delaysMax) return `At most ${POLICY_BOUNDS.delaysMax} delays.`;
  const delays: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part)) return `“${part}” is not a whole number of seconds.`;
    const value = Number(part);
    if (value > POLICY_BOUNDS.delayMaxS)
      return `Each delay is at most ${POLICY_BOUNDS.delayMaxS.toLocaleString("en-US")} s (a day).`;
    delays.push(value);
  }
  return delays;
}

/** Either the values to save, or a message per field. */
export function parsePolicyDraft(
  draft: RestartPolicyDraft,
): { ok: true; values: RestartPolicyValues } | { ok: false; errors: RestartPolicyErrors } {
  const delays = parseDelays(draft.delays);
  const reset = wholeNumber(draft.resetAfter, 0, POLICY_BOUNDS.resetMaxS);
  const loop = wholeNumber(draft.crashLoopAfter, 1, POLICY_BOUNDS.crashLoopMax);
  const errors: RestartPolicyErrors = {};
  if (typeof delays === "string") errors.delays = delays;
  if (typeof reset === "string") errors.resetAfter = reset;
  if (typeof loop === "string") errors.crashLoopAfter = loop;
  if (typeof delays === "string" || typeof reset === "string" || typeof loop === "string") {
    return { ok: false, errors };
  }
  return {
    ok: true,
    values: {
      autoRestart: draft.autoRestart,
      restartDelaysS: delays,
      restartResetS: reset,
      crashLoopAfter: loop,
    },
  };
}

/** A sentence that says what the policy does, under the form. */
export function describePolicy(policy: RestartPolicyValues): string {
  if (!policy.autoRestart) return "After a crash the server stays down until someone starts it.";
  const delays = policy.restartDelaysS.map((s) => `${s} s`).join(", then ");
  const times = policy.crashLoopAfter === 1 ? "crash" : `${policy.crashLoopAfter} crashes in a row`;
  return (
    `Restarts after ${delays}${policy.restartDelaysS.length > 1 ? " (the last delay repeats)" : ""}; the count starts over once the server ` +
    `has run ${policy.restartResetS} s. After ${times}, restarts pause until someone starts it again.`
  );
}
