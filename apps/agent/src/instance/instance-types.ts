import type { Result } from "@berth/protocol";
import type { ExitInfo } from "../drivers/driver";
import type { ServerEvent, ServerState } from "./server-state";

export const DEFAULT_STOP_TIMEOUT_MS = 30_000;
export const DEFAULT_TERM_TIMEOUT_MS = 10_000;

/** What the server's template says about starting and stopping it. */
export interface TemplatePolicy {
  /** Written to the console (with "\n") to ask the server to stop itself. */
  stopCommand?: string;
  /** Regex source; the first console line it matches marks the server running. */
  donePattern?: string;
  /** How long the stop command gets before SIGTERM. */
  stopTimeoutMs?: number;
  /** How long SIGTERM gets before SIGKILL. */
  termTimeoutMs?: number;
}

export interface StateChange {
  serverId: string;
  from: ServerState;
  to: ServerState;
  event: ServerEvent;
  /** Milliseconds since the epoch, from the instance's clock. */
  at: number;
  reason: string;
}

/** Why the agent killed a server that stopped answering its liveness check. */
export interface HangReport {
  check: "tcp" | "console";
  /** What the last failed check saw, e.g. "no line matching /^pong$/ within 2000 ms". */
  detail: string;
}

/**
 * An exit nobody asked for while starting or running, or a kill after failed liveness checks;
 * the supervisor decides what follows.
 */
export interface CrashReport {
  serverId: string;
  exit: ExitInfo;
  at: number;
  uptimeMs: number;
  /** The last console lines before the exit, ANSI codes removed. */
  logTail: string[];
  /** Set when the agent killed the process because it stopped answering. */
  hung?: HangReport;
}

/** What the supervisor makes of a crash, decided before the state changes so the change carries it. */
export type CrashDecision =
  { kind: "restart"; at: number } | { kind: "crash_loop"; reason: string } | { kind: "none" };

export interface ServerSnapshot {
  serverId: string;
  state: ServerState;
  since: number;
  exit?: ExitInfo;
  /** While crashed with an automatic restart scheduled: when it happens. */
  restartAt?: number;
  lastTransitionReason: string;
}

export type PowerAction =
  "start" | "stop" | "restart" | "kill" | "adopt" | "install" | "auto-restart" | "hang";
export type PowerResult = Result<ServerSnapshot>;
