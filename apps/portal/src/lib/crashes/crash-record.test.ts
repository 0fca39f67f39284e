import { describe, expect, it } from "vitest";
import { prependCrash, splitLogTail, toCrashView } from "./crash-record";

describe("toCrashView", () => {
  it("takes a stored row (log tail as text, a Date)", () => {
    const at = new Date("2026-11-22T10:00:00Z");
    const view = toCrashView({
      id: "c1",
      occurredAt: at,
      class: "mod_or_plugin_error",
      exitCode: 1,
      signal: null,
      uptimeMs: 5_000,
      logTail: "[Forge] loading\nError loading mod examplemod\n",
      matchedRule: "forge.mod-load",
      subject: "examplemod",
      suggestion: "Remove or update examplemod.",
      oomKilled: false,
      crashLoop: false,
    });
    expect(view.at).toEqual(at);
    expect(view.logTail).toEqual(["[Forge] loading", "Error loading mod examplemod"]);
    expect(view.subject).toBe("examplemod");
  });

  it("takes a live event (lines, ms since the epoch)", () => {
    const view = toCrashView({
      id: "c2",
      at: 1_700_000_000_000,
      class: "unexpected_exit",
      exitCode: 0,
      signal: null,
      uptimeMs: 1,
      logTail: ["a", "b"],
      suggestion: "  ",
    });
    expect(view.at.getTime()).toBe(1_700_000_000_000);
    expect(view.logTail).toEqual(["a", "b"]);
    expect(view.suggestion).toBeNull();
    expect(view.crashLoop).toBe(false);
    expect(view.matchedRule).toBeNull();
  });

  it("splits Windows line ends and keeps an empty tail empty", () => {
    expect(splitLogTail("a\r\nb")).toEqual(["a", "b"]);
    expect(splitLogTail("")).toEqual([]);
  });
});

describe("prependCrash", () => {
  it("puts a new crash first and ignores one already listed", () => {
    const list = [{ id: "b" }, { id: "a" }];
    expect(prependCrash(list, { id: "c" }).map((c) => c.id)).toEqual(["c", "b", "a"]);
    expect(prependCrash(list, { id: "b" }).map((c) => c.id)).toEqual(["b", "a"]);
  });
});
