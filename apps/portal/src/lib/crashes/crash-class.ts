/**
 * How a crash is named and coloured in the UI. The class comes from the agent's classifier; a
 * class this version does not know (a newer agent) still shows, under its own name.
 */

export type CrashTone = "red" | "orange" | "violet" | "amber" | "fuchsia" | "grey";

interface ClassInfo {
  label: string;
  tone: CrashTone;
  /** One line on what the class means, for the badge's tooltip. */
  meaning: string;
}

const CLASSES: Record<string, ClassInfo> = {
  oom: {
    label: "Out of memory",
    tone: "red",
    meaning: "The process was killed for using more memory than the server's limit.",
  },
  missing_dependency: {
    label: "Missing dependency",
    tone: "orange",
    meaning: "A library, class, module or required mod could not be found.",
  },
  mod_or_plugin_error: {
    label: "Mod or plugin error",
    tone: "violet",
    meaning: "A mod or plugin failed to load, or appears in the crash's stack trace.",
  },
  hung: {
    label: "Not responding",
    tone: "amber",
    meaning: "The liveness check failed, so the server was stopped and counted as crashed.",
  },
  nonzero_exit: {
    label: "Exited with error",
    tone: "fuchsia",
    meaning: "The program ended with a non-zero exit code or a signal.",
  },
  unexpected_exit: {
    label: "Unexpected exit",
    tone: "grey",
    meaning: "The program ended on its own (exit code 0) although no one asked it to stop.",
  },
};

export function crashClassInfo(crashClass: string): ClassInfo {
  return (
    CLASSES[crashClass] ?? {
      label: crashClass.replace(/_/g, " "),
      tone: "grey",
      meaning: "A crash of a kind this portal does not describe.",
    }
  );
}

export function crashClassLabel(crashClass: string): string {
  return crashClassInfo(crashClass).label;
}

/** How the process ended, in a few words: "exit code 1", "signal SIGKILL", "killed (out of memory)". */
export function exitSummary(exit: {
  exitCode: number | null;
  signal: string | null;
  oomKilled: boolean;
}): string {
  if (exit.oomKilled) return "killed (out of memory)";
  if (exit.signal) return `signal ${exit.signal}`;
  if (exit.exitCode !== null) return `exit code ${exit.exitCode}`;
  return "no exit status";
}

const DURATION_UNITS: ReadonlyArray<readonly [unit: string, ms: number]> = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["min", 60_000],
  ["s", 1_000],
];

/** An uptime as people say it: "0.4 s", "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function formatUptime(ms: number): string {
  if (ms < 0 || !Number.isFinite(ms)) return "—";
  if (ms < 10_000) {
    const seconds = Math.floor(ms / 100) / 10;
    return `${seconds.toLocaleString("en-US", { maximumFractionDigits: 1 })} s`;
  }
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of DURATION_UNITS) {
    const value = Math.floor(rest / size);
    rest -= value * size;
    if (value > 0 || parts.length > 0) parts.push(`${value} ${unit}`);
    if (parts.length === 2) break;
  }
  // "3 min 0 s" reads oddly: drop a trailing zero part.
  if (parts.length === 2 && parts[1]?.startsWith("0 ")) parts.pop();
  return parts.join(" ");
}
