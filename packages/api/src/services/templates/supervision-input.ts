import { z } from "zod";
import { CrashRule, LivenessCheck } from "@berth/protocol";
import { regexProblem } from "./regex-problem";
import { MAX_CRASH_RULES } from "./template-supervision";

const Pattern = z
  .string()
  .min(1, "Enter a pattern.")
  .max(512, "Use at most 512 characters.")
  .superRefine((source, ctx) => {
    const problem = regexProblem(source);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A crash rule as an admin enters it: the protocol's rule, with the regex error spelled out. */
export const CrashRuleInput = CrashRule.extend({ pattern: Pattern });

export const CrashRulesInput = z
  .array(CrashRuleInput)
  .max(MAX_CRASH_RULES, `At most ${MAX_CRASH_RULES} rules.`)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "id"],
          message: `the rule id "${rule.id}" is used twice`,
        });
      }
      seen.add(rule.id);
    });
  });

/** A liveness check as an admin enters it; a console check's expected answer must compile. */
export const LivenessInput = LivenessCheck.superRefine((check, ctx) => {
  if (check.timeoutMs >= check.intervalMs) {
    ctx.addIssue({
      code: "custom",
      path: ["timeoutMs"],
      message: "must be shorter than the interval",
    });
  }
  if (check.kind !== "console") return;
  const problem = regexProblem(check.expect);
  if (problem) ctx.addIssue({ code: "custom", path: ["expect"], message: problem });
});
