/**
 * One crash as the UI shows it, whether it came from the history query or live over the socket.
 */

export interface CrashView {
  id: string;
  at: Date;
  class: string;
  exitCode: number | null;
  signal: string | null;
  oomKilled: boolean;
  uptimeMs: number;
  logTail: string[];
  matchedRule: string | null;
  subject: string | null;
  suggestion: string | null;
  crashLoop: boolean;
}

/** The shape both sources share, loosely: the log tail is stored as text, sent as lines. */
export interface CrashLike {
  id: string;
  class: string;
  exitCode: number | null;
  signal: string | null;
  oomKilled?: boolean;
  uptimeMs: number;
  logTail: string | readonly string[];
  matchedRule?: string | null;
  subject?: string | null;
  suggestion?: string | null;
  crashLoop?: boolean;
  /** The row's time. */
  occurredAt?: Date | string | number;
  /** The event's time (ms since the epoch). */
  at?: number;
}

export function splitLogTail(tail: string | readonly string[]): string[] {
  if (typeof tail !== "string") return [...tail];
  if (tail === "") return [];
  return tail.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
}

export function toCrashView(crash: CrashLike): CrashView {
  const when = crash.occurredAt ?? crash.at ?? 0;
  return {
    id: crash.id,
    at: when instanceof Date ? when : new Date(when),
    class: crash.class,
    exitCode: crash.exitCode,
    signal: crash.signal,
    oomKilled: crash.oomKilled ?? false,
    uptimeMs: crash.uptimeMs,
    logTail: splitLogTail(crash.logTail),
    matchedRule: crash.matchedRule ?? null,
    subject: crash.subject ?? null,
    suggestion: crash.suggestion?.trim() ? crash.suggestion : null,
    crashLoop: crash.crashLoop ?? false,
  };
}

/**
 * A live crash in front of the list, unless it is already there (the socket and a refetch can
 * both bring it); newest first either way.
 */
export function prependCrash<T extends { id: string }>(list: readonly T[], crash: T): T[] {
  if (list.some((c) => c.id === crash.id)) return [...list];
  return [crash, ...list];
}
