import { describe, expect, it } from "vitest";
import { crashStateLine, formatCountdown, secondsUntil } from "./restart-countdown";

describe("secondsUntil", () => {
  it("rounds up and never goes below zero", () => {
    expect(secondsUntil(10_000, 0)).toBe(10);
    expect(secondsUntil(10_000, 9_001)).toBe(1);
    expect(secondsUntil(10_000, 10_000)).toBe(0);
    expect(secondsUntil(10_000, 12_000)).toBe(0);
  });
});

describe("formatCountdown", () => {
  it("uses seconds, then minutes, then hours", () => {
    expect(formatCountdown(0)).toBe("0 s");
    expect(formatCountdown(23)).toBe("23 s");
    expect(formatCountdown(65)).toBe("1 min 05 s");
    expect(formatCountdown(120)).toBe("2 min 00 s");
    expect(formatCountdown(3_600 + 3 * 60 + 9)).toBe("1 h 03 min");
  });
});

describe("crashStateLine", () => {
  const base = { state: "crashed", autoRestart: true, now: 1_000_000 };

  it("counts down to the scheduled restart", () => {
    expect(crashStateLine({ ...base, restartAt: 1_023_000 })).toEqual({
      text: "Crashed — restarting in 23 s",
      counting: true,
    });
    expect(crashStateLine({ ...base, restartAt: 1_000_400 })?.text).toBe(
      "Crashed — restarting in 1 s",
    );
  });

  it("says the restart is due once the moment has passed", () => {
    expect(crashStateLine({ ...base, restartAt: 999_000 })).toEqual({
      text: "Crashed — restarting now…",
      counting: false,
    });
  });

  it("explains a crash without a scheduled restart", () => {
    expect(crashStateLine({ ...base, restartAt: null })?.text).toBe("Crashed");
    expect(crashStateLine({ ...base, autoRestart: false, restartAt: null })?.text).toBe(
      "Crashed — automatic restart is off",
    );
  });

  it("is silent for any other state", () => {
    expect(crashStateLine({ ...base, state: "running", restartAt: 1_023_000 })).toBeNull();
    expect(crashStateLine({ ...base, state: "error", restartAt: null })).toBeNull();
  });
});
