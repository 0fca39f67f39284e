import { describe, expect, it } from "vitest";
import { crashClassInfo, crashClassLabel, exitSummary, formatUptime } from "./crash-class";

describe("crash classes", () => {
  it("names every class people can see", () => {
    expect(crashClassLabel("oom")).toBe("Out of memory");
    expect(crashClassLabel("missing_dependency")).toBe("Missing dependency");
    expect(crashClassLabel("mod_or_plugin_error")).toBe("Mod or plugin error");
    expect(crashClassLabel("hung")).toBe("Not responding");
    expect(crashClassLabel("nonzero_exit")).toBe("Exited with error");
    expect(crashClassLabel("unexpected_exit")).toBe("Unexpected exit");
  });

  it("gives each class its own colour", () => {
    const classes = [
      "oom",
      "missing_dependency",
      "mod_or_plugin_error",
      "hung",
      "nonzero_exit",
      "unexpected_exit",
    ];
    const tones = classes.map((c) => crashClassInfo(c).tone);
    expect(new Set(tones).size).toBe(classes.length);
    expect(crashClassInfo("oom").tone).toBe("red");
  });

  it("shows a class it does not know under its own name", () => {
    expect(crashClassInfo("disk_full")).toMatchObject({ label: "disk full", tone: "grey" });
  });
});

describe("exitSummary", () => {
  it("prefers the OOM flag, then the signal, then the code", () => {
    expect(exitSummary({ exitCode: 137, signal: "SIGKILL", oomKilled: true })).toBe(
      "killed (out of memory)",
    );
    expect(exitSummary({ exitCode: null, signal: "SIGSEGV", oomKilled: false })).toBe(
      "signal SIGSEGV",
    );
    expect(exitSummary({ exitCode: 1, signal: null, oomKilled: false })).toBe("exit code 1");
    expect(exitSummary({ exitCode: 0, signal: null, oomKilled: false })).toBe("exit code 0");
    expect(exitSummary({ exitCode: null, signal: null, oomKilled: false })).toBe("no exit status");
  });
});

describe("formatUptime", () => {
  it("reads like people say it", () => {
    expect(formatUptime(0)).toBe("0 s");
    expect(formatUptime(420)).toBe("0.4 s");
    expect(formatUptime(9_960)).toBe("9.9 s");
    expect(formatUptime(45_000)).toBe("45 s");
    expect(formatUptime(200_000)).toBe("3 min 20 s");
    expect(formatUptime(180_000)).toBe("3 min");
    expect(formatUptime(2 * 3_600_000 + 5 * 60_000 + 7_000)).toBe("2 h 5 min");
    expect(formatUptime(3 * 86_400_000 + 4 * 3_600_000)).toBe("3 d 4 h");
    expect(formatUptime(-1)).toBe("—");
  });
});
