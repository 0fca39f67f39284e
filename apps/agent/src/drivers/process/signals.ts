import { constants } from "node:os";
import type { ExitInfo } from "../driver";

const namesByNumber = new Map<number, string>();
for (const [name, number] of Object.entries(constants.signals)) {
  // Several names share a number on Linux (SIGIOT/SIGABRT, SIGPOLL/SIGIO); keep the first, usual one.
  if (!namesByNumber.has(number)) namesByNumber.set(number, name);
}

/** "SIGKILL" for 9; null for 0 or an unknown number. */
export function signalName(signal: number): string | null {
  if (!signal) return null;
  return namesByNumber.get(signal) ?? `SIG${signal}`;
}

/**
 * node-pty reports waitpid's status as (exit code, signal number). A process ended by a signal is
 * reported the way a shell and Docker report it: exit code 128 + the signal's number, and its name.
 */
export function exitInfoFromPty(exitCode: number, signal: number, oomKilled: boolean): ExitInfo {
  if (signal > 0) return { exitCode: 128 + signal, signal: signalName(signal), oomKilled };
  return { exitCode, signal: null, oomKilled };
}
