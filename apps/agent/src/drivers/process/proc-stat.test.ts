import { describe, expect, it } from "vitest";
import { pageSizeFromAuxv, parseProcStat } from "./proc-stat";

const LINE =
  "4242 (my (odd) name) S 10 4242 4242 34816 4242 4194560 100 0 0 0 7 3 2 1 20 0 3 0 " +
  "123456 9999 250 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

describe("parseProcStat", () => {
  it("reads the fields after a command name holding spaces and parentheses", () => {
    expect(parseProcStat(LINE)).toEqual({
      pid: 4242,
      state: "S",
      ppid: 10,
      pgrp: 4242,
      session: 4242,
      cpuTicks: 13,
      numThreads: 3,
      startTicks: 123456,
      rssPages: 250,
    });
  });

  it("rejects text that is not a stat line", () => {
    expect(parseProcStat("")).toBeNull();
    expect(parseProcStat("12 (x) S 1 2")).toBeNull();
    expect(parseProcStat(LINE.replace("4242 (", "abc ("))).toBeNull();
  });
});

describe("pageSizeFromAuxv", () => {
  it("finds AT_PAGESZ among the pairs", () => {
    const auxv = Buffer.alloc(48);
    auxv.writeBigUInt64LE(33n, 0);
    auxv.writeBigUInt64LE(1n, 8);
    auxv.writeBigUInt64LE(6n, 16);
    auxv.writeBigUInt64LE(16384n, 24);
    expect(pageSizeFromAuxv(auxv, "LE")).toBe(16384);
  });

  it("falls back to 4096", () => {
    expect(pageSizeFromAuxv(Buffer.alloc(16), "LE")).toBe(4096);
  });
});
