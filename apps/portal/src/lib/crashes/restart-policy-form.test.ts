import { describe, expect, it } from "vitest";
import { describePolicy, draftOf, parseDelays, parsePolicyDraft } from "./restart-policy-form";

const defaults = {
  autoRestart: true,
  restartDelaysS: [30, 60, 120],
  restartResetS: 30,
  crashLoopAfter: 3,
};

describe("parseDelays", () => {
  it("takes commas, spaces or both", () => {
    expect(parseDelays("30, 60, 120")).toEqual([30, 60, 120]);
    expect(parseDelays("1 2,3 ,")).toEqual([1, 2, 3]);
    expect(parseDelays("0")).toEqual([0]);
  });

  it("explains what is wrong", () => {
    expect(parseDelays("  ")).toBe("Enter at least one delay, in seconds.");
    expect(parseDelays("30, abc")).toBe("“abc” is not a whole number of seconds.");
    expect(parseDelays("1.5")).toBe("“1.5” is not a whole number of seconds.");
    expect(parseDelays("-5")).toBe("“-5” is not a whole number of seconds.");
    expect(parseDelays("100000")).toMatch(/at most 86,400 s/);
    expect(parseDelays("1 2 3 4 5 6 7 8 9 10 11")).toBe("At most 10 delays.");
  });
});

describe("parsePolicyDraft", () => {
  it("round-trips the server's policy", () => {
    expect(parsePolicyDraft(draftOf(defaults))).toEqual({ ok: true, values: defaults });
  });

  it("reports every field with a problem at once", () => {
    const result = parsePolicyDraft({
      autoRestart: true,
      delays: "",
      resetAfter: "x",
      crashLoopAfter: "0",
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        delays: "Enter at least one delay, in seconds.",
        resetAfter: "Enter a whole number.",
        crashLoopAfter: "At least 1.",
      },
    });
  });

  it("keeps the numbers when auto-restart is off", () => {
    const result = parsePolicyDraft({ ...draftOf(defaults), autoRestart: false });
    expect(result).toEqual({ ok: true, values: { ...defaults, autoRestart: false } });
  });
});

describe("describePolicy", () => {
  it("says what happens", () => {
    expect(describePolicy(defaults)).toMatch(
      /30 s, then 60 s, then 120 s \(the last delay repeats\)/,
    );
    expect(describePolicy(defaults)).toMatch(/After 3 crashes in a row/);
    expect(describePolicy({ ...defaults, autoRestart: false })).toMatch(/stays down/);
  });
});
