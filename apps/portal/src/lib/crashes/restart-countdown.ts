/**
 * The state line of a crashed server: "Crashed — restarting in 23 s". Counts down from the
 * agent's `restartAt` against the browser's clock, never below zero.
 */

/** Whole seconds left until `restartAt` (rounded up, so "1 s" shows until the moment itself). */
export function secondsUntil(restartAt: number, now: number): number {
  return Math.max(0, Math.ceil((restartAt - now) / 1000));
}

/** "23 s", "1 min 05 s", "2 h 03 min". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

export interface CrashStateLine {
  text: string;
  /** A restart is scheduled and has not happened yet: the line keeps ticking. */
  counting: boolean;
}

/**
 * What to say about a crashed server, or null when it is not crashed. `autoRestart` is the
 * server's policy switch; without a scheduled restart it explains why nothing will happen.
 */
export function crashStateLine({
  state,
  restartAt,
  autoRestart,
  now,
}: {
  state: string;
  restartAt: number | null;
  autoRestart: boolean;
  now: number;
}): CrashStateLine | null {
  if (state !== "crashed") return null;
  if (restartAt === null) {
    return {
      text: autoRestart ? "Crashed" : "Crashed — automatic restart is off",
      counting: false,
    };
  }
  const seconds = secondsUntil(restartAt, now);
  if (seconds === 0) return { text: "Crashed — restarting now…", counting: false };
  return { text: `Crashed — restarting in ${formatCountdown(seconds)}`, counting: true };
}
