import { describe, expect, it } from "vitest";
import { compileDonePattern, ConsoleLines, stripAnsi } from "./console-lines";

describe("ConsoleLines", () => {
  it("returns complete lines and keeps the rest for the next chunk", () => {
    const lines = new ConsoleLines();
    expect(lines.push("Loading wor")).toEqual([]);
    expect(lines.push("ld\nDone (3.1s)!")).toEqual(["Loading world"]);
    expect(lines.push(" For help\n")).toEqual(["Done (3.1s)! For help"]);
  });

  it("splits on \\n, \\r and \\r\\n, also when \\r\\n is split across chunks", () => {
    const lines = new ConsoleLines();
    expect(lines.push("a\r\nb\rc\n")).toEqual(["a", "b", "c"]);
    expect(lines.push("d\r")).toEqual(["d"]);
    expect(lines.push("\ne\n")).toEqual(["e"]);
    expect(lines.push("\n")).toEqual([""]);
  });

  it("removes colour and cursor codes, also when a code is split across chunks", () => {
    const lines = new ConsoleLines();
    expect(lines.push("\x1b[32;1mDone\x1b[0m (1s)\n")).toEqual(["Done (1s)"]);
    expect(lines.push("\x1b[3")).toEqual([]);
    expect(lines.push("3mReady\x1b]0;title\x07\x1b(B\n")).toEqual(["Ready"]);
  });

  it("keeps an unfinished last line once the process has ended", () => {
    const lines = new ConsoleLines({ maxLines: 2 });
    lines.push("1\n2\nfatal: no newline\x1b[0m");
    expect(lines.tail()).toEqual(["1", "2"]);
    lines.endPartial();
    expect(lines.tail()).toEqual(["2", "fatal: no newline"]);
    lines.endPartial();
    expect(lines.tail()).toEqual(["2", "fatal: no newline"]);
  });

  it("keeps a bounded tail of lines", () => {
    const lines = new ConsoleLines({ maxLines: 3 });
    lines.push("1\n2\n3\n4\n5\n");
    expect(lines.tail()).toEqual(["3", "4", "5"]);
  });

  it("cuts a line that never ends at the maximum length", () => {
    const lines = new ConsoleLines({ maxLineLength: 10 });
    for (let i = 0; i < 100; i++) lines.push("x".repeat(1000));
    const [line] = lines.push("\n");
    expect(line).toBe("x".repeat(10));
    expect(lines.push("next\n")).toEqual(["next"]);
  });
});

describe("stripAnsi", () => {
  it("leaves plain text alone", () => {
    expect(stripAnsi("[12:00:00 INFO]: Done!")).toBe("[12:00:00 INFO]: Done!");
  });
});

describe("compileDonePattern", () => {
  it("treats a missing or empty pattern as none", () => {
    expect(compileDonePattern(undefined)).toEqual({ ok: true, regex: null });
    expect(compileDonePattern("")).toEqual({ ok: true, regex: null });
  });

  it("reports an invalid pattern instead of throwing", () => {
    const compiled = compileDonePattern("Done (");
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.message).toMatch(/^Invalid done pattern/);
  });
});
