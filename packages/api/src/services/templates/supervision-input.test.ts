import { describe, expect, it } from "vitest";
import { CrashRulesInput, LivenessInput } from "./supervision-input";

const rule = {
  id: "fabric-missing-mod",
  class: "missing_dependency",
  pattern: String.raw`requires (?:any version of )?(?<name>[\w-]+), which is missing`,
  suggestion: "Install {name}.",
};
const firstIssue = (result: {
  error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
}) => {
  const issue = result.error?.issues[0];
  return issue ? `${issue.path.join(".")}: ${issue.message}` : null;
};

describe("crash rules as admins enter them", () => {
  it("accepts valid rules", () => {
    expect(CrashRulesInput.safeParse([rule, { ...rule, id: "other" }]).success).toBe(true);
  });

  it("says why a regular expression does not compile", () => {
    const result = CrashRulesInput.safeParse([rule, { ...rule, id: "broken", pattern: "mod (x" }]);
    expect(firstIssue(result)).toBe(
      "1.pattern: Invalid regular expression: /mod (x/i: Unterminated group",
    );
  });

  it("refuses duplicate ids, unknown classes and bad ids", () => {
    expect(firstIssue(CrashRulesInput.safeParse([rule, rule]))).toBe(
      '1.id: the rule id "fabric-missing-mod" is used twice',
    );
    expect(firstIssue(CrashRulesInput.safeParse([{ ...rule, class: "hung" }]))).toMatch(
      /^0\.class: /,
    );
    expect(firstIssue(CrashRulesInput.safeParse([{ ...rule, id: "Has Spaces" }]))).toBe(
      "0.id: rule ids are lowercase: letters, digits, . _ -",
    );
  });

  it("refuses more than 200 rules", () => {
    const many = Array.from({ length: 201 }, (_, i) => ({ ...rule, id: `r${i}` }));
    expect(firstIssue(CrashRulesInput.safeParse(many))).toBe(": At most 200 rules.");
  });
});

describe("liveness checks as admins enter them", () => {
  const timing = { initialDelayMs: 60_000, intervalMs: 30_000, timeoutMs: 5_000, failures: 3 };

  it("accepts a tcp and a console check", () => {
    expect(LivenessInput.safeParse({ kind: "tcp", port: 25565, ...timing }).success).toBe(true);
    expect(
      LivenessInput.safeParse({
        kind: "console",
        command: "list",
        expect: "players online",
        ...timing,
      }).success,
    ).toBe(true);
  });

  it("refuses an expected answer that does not compile, and a timeout not below the interval", () => {
    expect(
      firstIssue(
        LivenessInput.safeParse({ kind: "console", command: "list", expect: "[", ...timing }),
      ),
    ).toMatch(/^expect: Invalid regular expression/);
    expect(
      firstIssue(LivenessInput.safeParse({ kind: "tcp", port: 1, ...timing, timeoutMs: 30_000 })),
    ).toBe("timeoutMs: must be shorter than the interval");
  });
});
