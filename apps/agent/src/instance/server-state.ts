// The per-server state machine as data: every legal move is one row of TRANSITIONS, and nothing
// else in the agent decides whether a move is allowed.

import { ServerState as WireServerState } from "@berth/protocol";

/** The states are the wire's: what the agent decides is exactly what the portal shows. */
export const SERVER_STATES = WireServerState.options;
export type ServerState = WireServerState;

export const SERVER_EVENTS = [
  "install_begin",
  "install_done",
  "install_failed",
  "start_requested",
  /** The done pattern matched a console line, or the template has none and the process started. */
  "ready",
  /** The agent restarted and found the server's process already running. */
  "adopted",
  "stop_requested",
  "kill_requested",
  "exited_after_stop",
  /** The process exited while nobody had asked it to (any exit code, 0 included). */
  "exited_unexpectedly",
  /** The liveness check failed too often in a row; the agent killed the process. */
  "liveness_failed",
  /** The supervisor's automatic restart of a crashed server came due. */
  "restart_due",
  /** Too many crashes in a row: automatic restarts stop until someone starts the server. */
  "crash_loop",
  /** The driver failed while the instance acted on it; the process may be in any state. */
  "error",
] as const;
export type ServerEvent = (typeof SERVER_EVENTS)[number];

export interface Transition {
  from: ServerState;
  event: ServerEvent;
  to: ServerState;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: "offline", event: "install_begin", to: "installing" },
  { from: "offline", event: "start_requested", to: "starting" },
  { from: "offline", event: "adopted", to: "running" },
  { from: "offline", event: "error", to: "error" },

  { from: "installing", event: "install_done", to: "offline" },
  { from: "installing", event: "install_failed", to: "error" },

  { from: "starting", event: "ready", to: "running" },
  { from: "starting", event: "stop_requested", to: "stopping" },
  { from: "starting", event: "kill_requested", to: "stopping" },
  { from: "starting", event: "exited_unexpectedly", to: "crashed" },
  { from: "starting", event: "error", to: "error" },

  { from: "running", event: "stop_requested", to: "stopping" },
  { from: "running", event: "kill_requested", to: "stopping" },
  { from: "running", event: "exited_unexpectedly", to: "crashed" },
  { from: "running", event: "liveness_failed", to: "crashed" },

  // A kill while a stop is under way escalates it; the state stays, the reason changes.
  { from: "stopping", event: "kill_requested", to: "stopping" },
  { from: "stopping", event: "exited_after_stop", to: "offline" },
  { from: "stopping", event: "error", to: "error" },

  { from: "crashed", event: "start_requested", to: "starting" },
  { from: "crashed", event: "restart_due", to: "starting" },
  { from: "crashed", event: "crash_loop", to: "error" },
  // The process is already gone: stopping or killing only settles the state (and ends restarts).
  { from: "crashed", event: "stop_requested", to: "offline" },
  { from: "crashed", event: "kill_requested", to: "offline" },
  { from: "crashed", event: "install_begin", to: "installing" },

  { from: "error", event: "start_requested", to: "starting" },
  // The process may or may not be alive after a driver failure, so stopping goes through stopping.
  { from: "error", event: "stop_requested", to: "stopping" },
  { from: "error", event: "kill_requested", to: "stopping" },
  { from: "error", event: "install_begin", to: "installing" },
];

const table = new Map<string, ServerState>(TRANSITIONS.map((t) => [`${t.from}:${t.event}`, t.to]));

export type TransitionResult =
  { ok: true; to: ServerState } | { ok: false; from: ServerState; event: ServerEvent };

/** The state `event` leads to from `from`, or an illegal-transition result. Never throws. */
export function transition(from: ServerState, event: ServerEvent): TransitionResult {
  const to = table.get(`${from}:${event}`);
  return to === undefined ? { ok: false, from, event } : { ok: true, to };
}

/** The message a person sees when an action is refused because of the server's state. */
export function refusalMessage(state: ServerState, event: ServerEvent): string {
  if (state === "installing") return "Server is installing";
  switch (event) {
    case "start_requested":
      if (state === "running") return "Server is already running";
      if (state === "starting") return "Server is already starting";
      if (state === "stopping") return "Server is stopping";
      break;
    case "stop_requested":
    case "kill_requested":
      if (state === "offline") return "Server is already offline";
      if (state === "stopping") return "Server is already stopping";
      break;
    case "install_begin":
      return "Stop the server before installing it";
    case "adopted":
      return `Cannot adopt a server that is ${state}`;
  }
  return `Cannot ${event.replace(/_/g, " ")} while the server is ${state}`;
}
