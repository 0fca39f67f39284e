import type { CrashEvent } from "@berth/db";

/** A crash as procedures and broadcasts show it. */
export interface CrashView {
  id: string;
  serverId: string;
  occurredAt: Date;
  exitCode: number | null;
  signal: string | null;
  oomKilled: boolean;
  uptimeMs: number;
  /** The last console lines before the exit, oldest first. */
  logTail: string[];
  class: string;
  matchedRule: string | null;
  subject: string | null;
  suggestion: string | null;
  /** This crash paused automatic restarts. */
  crashLoop: boolean;
}

export const LOG_TAIL_SEPARATOR = "\n";

export function toCrashView(row: CrashEvent): CrashView {
  return {
    id: row.id,
    serverId: row.serverId,
    occurredAt: row.occurredAt,
    exitCode: row.exitCode,
    signal: row.signal,
    oomKilled: row.oomKilled,
    uptimeMs: Number(row.uptimeMs),
    logTail: row.logTail === "" ? [] : row.logTail.split(LOG_TAIL_SEPARATOR),
    class: row.class,
    matchedRule: row.matchedRule,
    subject: row.subject,
    suggestion: row.suggestion,
    crashLoop: row.crashLoop,
  };
}
