import { describe, expect, it } from "vitest";
import type { ProcStat } from "./proc-stat";
import { groupProcesses, sumUsage } from "./process-tree";

function proc(pid: number, ppid: number, session: number, rssPages = 1, cpuTicks = 0): ProcStat {
  return {
    pid,
    ppid,
    session,
    pgrp: session,
    state: "S",
    cpuTicks,
    numThreads: 1,
    startTicks: pid,
    rssPages,
  };
}

describe("groupProcesses", () => {
  const table = [
    proc(1, 0, 1),
    proc(50, 1, 50), // the agent
    proc(100, 50, 100), // server a, PTY session leader
    proc(101, 100, 100),
    proc(102, 101, 102), // left a's session with setsid, parent alive
    proc(103, 102, 103), // its child, another session
    proc(200, 50, 200), // server b
    proc(300, 50, 300), // an exec PTY of b
    proc(400, 1, 400), // unrelated
  ];

  it("attributes sessions and the descendants that left them", () => {
    const groups = groupProcesses(
      table,
      new Map([
        ["a", [100]],
        ["b", [200, 300]],
      ]),
    );
    expect(
      groups
        .get("a")!
        .map((p) => p.pid)
        .sort(),
    ).toEqual([100, 101, 102, 103]);
    expect(
      groups
        .get("b")!
        .map((p) => p.pid)
        .sort(),
    ).toEqual([200, 300]);
  });

  it("gives an empty list to a server with no live process", () => {
    expect(groupProcesses(table, new Map([["c", [999]]])).get("c")).toEqual([]);
  });
});

describe("sumUsage", () => {
  it("sums RSS in bytes and CPU ticks", () => {
    expect(sumUsage([proc(1, 0, 1, 2, 5), proc(2, 1, 1, 3, 7)], 4096)).toEqual({
      rssBytes: 5 * 4096,
      cpuTicks: 12,
      tasks: 2,
      processes: 2,
    });
  });
});
