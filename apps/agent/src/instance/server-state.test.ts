import { describe, expect, it } from "vitest";
import {
  SERVER_EVENTS,
  SERVER_STATES,
  TRANSITIONS,
  refusalMessage,
  transition,
  type ServerEvent,
  type ServerState,
} from "./server-state";

const legal = new Set(TRANSITIONS.map((t) => `${t.from}:${t.event}`));
const illegal = SERVER_STATES.flatMap((from) =>
  SERVER_EVENTS.filter((event) => !legal.has(`${from}:${event}`)).map((event) => ({
    from,
    event,
  })),
);

describe("transition table", () => {
  it.each(TRANSITIONS.map((t) => [t.from, t.event, t.to] as const))(
    "%s --%s--> %s",
    (from, event, to) => {
      expect(transition(from, event)).toEqual({ ok: true, to });
    },
  );

  it("has one row per (state, event)", () => {
    expect(legal.size).toBe(TRANSITIONS.length);
  });

  it("rejects every pair that is not in the table", () => {
    expect(illegal.length).toBe(SERVER_STATES.length * SERVER_EVENTS.length - TRANSITIONS.length);
    for (const { from, event } of illegal) {
      expect(transition(from, event)).toEqual({ ok: false, from, event });
    }
  });

  it.each<[ServerState, ServerEvent]>([
    ["running", "start_requested"],
    ["starting", "start_requested"],
    ["offline", "stop_requested"],
    ["offline", "kill_requested"],
    ["offline", "ready"],
    ["running", "ready"],
    ["stopping", "start_requested"],
    ["stopping", "exited_unexpectedly"],
    ["running", "exited_after_stop"],
    ["installing", "start_requested"],
    ["installing", "kill_requested"],
    ["running", "install_begin"],
    ["crashed", "ready"],
    ["running", "adopted"],
    ["offline", "install_done"],
    ["offline", "restart_due"],
    ["error", "restart_due"],
    ["running", "restart_due"],
    ["starting", "liveness_failed"],
    ["stopping", "liveness_failed"],
    ["running", "crash_loop"],
    ["error", "crash_loop"],
  ])("rejects %s --%s-->", (from, event) => {
    expect(transition(from, event).ok).toBe(false);
  });

  it("leaves every state by some event and reaches every state", () => {
    for (const state of SERVER_STATES) {
      expect(TRANSITIONS.some((t) => t.from === state)).toBe(true);
      expect(TRANSITIONS.some((t) => t.to === state)).toBe(true);
    }
  });

  it("only an asked-for stop or a kill ends in offline from a live process", () => {
    const intoOffline = TRANSITIONS.filter((t) => t.to === "offline").map((t) => t.event);
    expect(new Set(intoOffline)).toEqual(
      new Set(["install_done", "exited_after_stop", "stop_requested", "kill_requested"]),
    );
    expect(TRANSITIONS.filter((t) => t.event === "exited_unexpectedly").map((t) => t.to)).toEqual([
      "crashed",
      "crashed",
    ]);
  });
});

describe("crash supervision in the table", () => {
  it("restarts automatically only what crashed, and pauses only what crashed", () => {
    expect(TRANSITIONS.filter((t) => t.event === "restart_due")).toEqual([
      { from: "crashed", event: "restart_due", to: "starting" },
    ]);
    expect(TRANSITIONS.filter((t) => t.event === "crash_loop")).toEqual([
      { from: "crashed", event: "crash_loop", to: "error" },
    ]);
  });

  it("counts a failed liveness check as a crash of a running server", () => {
    expect(TRANSITIONS.filter((t) => t.event === "liveness_failed")).toEqual([
      { from: "running", event: "liveness_failed", to: "crashed" },
    ]);
  });
});

describe("refusalMessage", () => {
  it.each<[ServerState, ServerEvent, string]>([
    ["running", "start_requested", "Server is already running"],
    ["starting", "start_requested", "Server is already starting"],
    ["stopping", "start_requested", "Server is stopping"],
    ["offline", "stop_requested", "Server is already offline"],
    ["offline", "kill_requested", "Server is already offline"],
    ["stopping", "stop_requested", "Server is already stopping"],
    ["installing", "stop_requested", "Server is installing"],
    ["running", "install_begin", "Stop the server before installing it"],
    ["running", "adopted", "Cannot adopt a server that is running"],
  ])("%s + %s → %s", (state, event, message) => {
    expect(refusalMessage(state, event)).toBe(message);
  });
});
