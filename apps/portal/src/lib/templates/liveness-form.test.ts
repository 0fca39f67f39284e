import { describe, expect, it } from "vitest";
import { describeLiveness, livenessDraftOf, parseLiveness } from "./liveness-form";

describe("liveness form", () => {
  it("saves no check when none is chosen", () => {
    expect(parseLiveness(livenessDraftOf(null, 25565))).toEqual({ ok: true, check: null });
  });

  it("offers the template's first port for a TCP check", () => {
    expect(livenessDraftOf(null, 25565).port).toBe("25565");
  });

  it("turns seconds into milliseconds", () => {
    const draft = { ...livenessDraftOf(null, 25565), kind: "tcp" as const, timeoutS: "0.5" };
    expect(parseLiveness(draft)).toEqual({
      ok: true,
      check: {
        kind: "tcp",
        port: 25565,
        initialDelayMs: 60_000,
        intervalMs: 30_000,
        timeoutMs: 500,
        failures: 3,
      },
    });
  });

  it("round-trips a console check", () => {
    const check = {
      kind: "console" as const,
      command: "list",
      expect: "There are \\d+ of a max",
      initialDelayMs: 120_000,
      intervalMs: 60_000,
      timeoutMs: 10_000,
      failures: 2,
    };
    expect(parseLiveness(livenessDraftOf(check))).toEqual({ ok: true, check });
  });

  it("explains fields with a problem", () => {
    const draft = {
      ...livenessDraftOf(null),
      kind: "console" as const,
      command: "",
      expect: "(",
      intervalS: "0.2",
      timeoutS: "0.1",
      failures: "x",
    };
    const result = parseLiveness(draft);
    expect(result).toEqual({
      ok: false,
      errors: {
        command: "Required.",
        expect: "Not a valid regular expression.",
        intervalS: "At least 1 s.",
        failures: "Enter a number.",
      },
    });
  });

  it("wants the timeout shorter than the interval", () => {
    const draft = { ...livenessDraftOf(null, 80), kind: "tcp" as const, timeoutS: "30" };
    expect(parseLiveness(draft)).toEqual({
      ok: false,
      errors: { timeoutS: "Must be shorter than the interval." },
    });
  });

  it("describes a check in one line", () => {
    expect(describeLiveness(null)).toBe("No liveness check");
    expect(
      describeLiveness({
        kind: "tcp",
        port: 25565,
        initialDelayMs: 0,
        intervalMs: 30_000,
        timeoutMs: 1_000,
        failures: 3,
      }),
    ).toBe("TCP port 25565 every 30 s");
  });
});
