import type { ExitInfo, ProcessState } from "../drivers/driver";

/** The exit a driver's inspection describes; undefined for a server the driver does not know. */
export function exitOf(state: ProcessState): ExitInfo | undefined {
  if (!state.exists) return undefined;
  return { exitCode: state.exitCode, signal: state.signal, oomKilled: state.oomKilled };
}

/** A few words for a reason line: "code 1", "signal SIGTERM", "out of memory". */
export function describeExit(exit: ExitInfo): string {
  if (exit.oomKilled) return "out of memory";
  if (exit.signal) return `signal ${exit.signal}`;
  return `code ${exit.exitCode ?? "unknown"}`;
}
