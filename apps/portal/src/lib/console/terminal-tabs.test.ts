import type { TerminalInfo } from "@berth/protocol";
import { describe, expect, it } from "vitest";
import {
  exitLabel,
  newTerminalBlocker,
  nextTabIndex,
  orderTabs,
  pickSelectedTab,
  selectionAfterClose,
} from "./terminal-tabs";

const tab = (terminalId: string, createdAt: number, exited = false): TerminalInfo => ({
  terminalId,
  title: terminalId,
  createdAt,
  exitCode: exited ? 0 : null,
  exited,
});

const tabs = [tab("ta", 1), tab("tb", 2), tab("tc", 3)];

describe("orderTabs", () => {
  it("orders tabs by when they were opened", () => {
    expect(orderTabs([tab("tz", 3), tab("ty", 1), tab("tx", 1)]).map((t) => t.terminalId)).toEqual([
      "tx",
      "ty",
      "tz",
    ]);
  });
});

describe("pickSelectedTab", () => {
  it("keeps the preferred tab while it exists", () => {
    expect(pickSelectedTab(tabs, "tb")).toBe("tb");
  });

  it("falls back to the first tab, or none", () => {
    expect(pickSelectedTab(tabs, "gone")).toBe("ta");
    expect(pickSelectedTab(tabs, null)).toBe("ta");
    expect(pickSelectedTab([], "ta")).toBeNull();
  });
});

describe("selectionAfterClose", () => {
  it("keeps the selection when another tab closes", () => {
    expect(selectionAfterClose(tabs, "ta", "tc")).toBe("tc");
  });

  it("moves to the right neighbour, or the left one at the end", () => {
    expect(selectionAfterClose(tabs, "tb", "tb")).toBe("tc");
    expect(selectionAfterClose(tabs, "tc", "tc")).toBe("tb");
  });

  it("selects nothing when the last tab closes", () => {
    expect(selectionAfterClose([tab("ta", 1)], "ta", "ta")).toBeNull();
  });
});

describe("newTerminalBlocker", () => {
  it("allows a terminal while the server runs and there is room", () => {
    expect(newTerminalBlocker({ count: 5, serverState: "running" })).toBeNull();
  });

  it("refuses a seventh terminal", () => {
    expect(newTerminalBlocker({ count: 6, serverState: "running" })).toMatch(/at most 6/i);
  });

  it("refuses while the container is not running", () => {
    expect(newTerminalBlocker({ count: 0, serverState: "offline" })).toMatch(/start the server/i);
  });
});

describe("exitLabel", () => {
  it("describes an ended shell with its exit code", () => {
    expect(exitLabel({ ...tab("ta", 1, true), exitCode: 130 })).toBe("exited (130)");
    expect(exitLabel({ ...tab("ta", 1, true), exitCode: null })).toBe("exited");
    expect(exitLabel(tab("ta", 1))).toBeNull();
  });
});

describe("nextTabIndex", () => {
  it("moves with the arrows, wrapping around, and jumps with Home and End", () => {
    expect(nextTabIndex("ArrowRight", 0, 3)).toBe(1);
    expect(nextTabIndex("ArrowRight", 2, 3)).toBe(0);
    expect(nextTabIndex("ArrowLeft", 0, 3)).toBe(2);
    expect(nextTabIndex("Home", 2, 3)).toBe(0);
    expect(nextTabIndex("End", 0, 3)).toBe(2);
  });

  it("ignores other keys and an empty list", () => {
    expect(nextTabIndex("Enter", 0, 3)).toBeNull();
    expect(nextTabIndex("ArrowRight", 0, 0)).toBeNull();
  });
});
