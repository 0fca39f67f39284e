import type { Template } from "@berth/db";
import { CrashRule, LivenessCheck } from "@berth/protocol";
import { regexProblem } from "./regex-problem";

/** The most rules a spec carries (the protocol's limit). */
export const MAX_CRASH_RULES = 200;

export interface TemplateSupervision {
  crashRules: CrashRule[];
  liveness: LivenessCheck | null;
  /** Stored settings that were skipped because they are not valid (for the log). */
  problems: string[];
}

/**
 * A template's crash rules and liveness check as stored (JSON written by admins or older
 * versions), validated. An invalid rule is skipped and an invalid check dropped, never thrown:
 * one bad rule must not stop a server from being provisioned.
 */
export function templateSupervision(
  template: Pick<Template, "crashRules" | "liveness">,
): TemplateSupervision {
  const problems: string[] = [];
  const stored = Array.isArray(template.crashRules) ? template.crashRules : [];
  if (!Array.isArray(template.crashRules)) problems.push("crashRules: not a list, ignored");

  const crashRules: CrashRule[] = [];
  stored.forEach((raw, index) => {
    const parsed = CrashRule.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push(`crashRules.${index}: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`);
    } else if (crashRules.length >= MAX_CRASH_RULES) {
      problems.push(`crashRules.${index}: more than ${MAX_CRASH_RULES} rules, skipped`);
    } else {
      crashRules.push(parsed.data);
    }
  });

  let liveness: LivenessCheck | null = null;
  if (template.liveness !== null && template.liveness !== undefined) {
    const parsed = LivenessCheck.safeParse(template.liveness);
    const expectProblem =
      parsed.success && parsed.data.kind === "console" ? regexProblem(parsed.data.expect) : null;
    if (!parsed.success) {
      problems.push(`liveness: ${parsed.error.issues[0]?.message ?? "invalid"}, ignored`);
    } else if (expectProblem) {
      problems.push(`liveness: expect ${expectProblem}, ignored`);
    } else {
      liveness = parsed.data;
    }
  }
  return { crashRules, liveness, problems };
}
