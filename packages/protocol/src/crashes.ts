// Crash supervision and server stats on the wire. The agent decides (it sees the exit, the log and
// the clock); the portal records and shows. Numbers are configurable per server and per template.
import { z } from "zod";

export const CrashClass = z.enum([
  "oom",
  "missing_dependency",
  "mod_or_plugin_error",
  "hung",
  "nonzero_exit",
  "unexpected_exit",
]);
export type CrashClass = z.infer<typeof CrashClass>;

/** Classes a log pattern can decide; the others follow from the exit itself. */
export const PatternCrashClass = z.enum(["oom", "missing_dependency", "mod_or_plugin_error"]);

/**
 * One classification rule: the first rule (template rules first, then the built-in ones) whose
 * pattern matches a line of the crash's log tail decides the class. A named group `name` in the
 * pattern (e.g. `(?<name>[\w-]+)`) names the mod, plugin, library or module, and `{name}` in the
 * suggestion is replaced by it.
 */
export const CrashRule = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "rule ids are lowercase: letters, digits, . _ -"),
  class: PatternCrashClass,
  /** JavaScript regular expression source, matched case-insensitively against each line. */
  pattern: z
    .string()
    .min(1)
    .max(512)
    .refine((source) => {
      try {
        new RegExp(source, "i");
        return true;
      } catch {
        return false;
      }
    }, "not a valid regular expression"),
  suggestion: z.string().min(1).max(300),
});
export type CrashRule = z.infer<typeof CrashRule>;

export const RestartPolicy = z.object({
  /** Off: a crash leaves the server crashed until someone starts it. */
  enabled: z.boolean(),
  /** Wait before the 1st, 2nd, 3rd… automatic restart after consecutive crashes. */
  delaysMs: z.array(z.number().int().min(0).max(86_400_000)).min(1).max(10),
  /** Uptime after which the crash count (and so the backoff) starts over. */
  resetAfterMs: z.number().int().min(0).max(86_400_000),
  /** Consecutive crashes (without a reset) that put the server in `error`: a crash loop. */
  maxConsecutiveCrashes: z.number().int().min(1).max(100),
});
export type RestartPolicy = z.infer<typeof RestartPolicy>;

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  enabled: true,
  delaysMs: [30_000, 60_000, 120_000],
  resetAfterMs: 30_000,
  maxConsecutiveCrashes: 3,
};

const LivenessTiming = {
  /** First check this long after the server became running. */
  initialDelayMs: z.number().int().min(0).max(3_600_000),
  intervalMs: z.number().int().min(1000).max(3_600_000),
  /** How long one check may take. */
  timeoutMs: z.number().int().min(100).max(600_000),
  /** Consecutive failed checks that count as a hang. */
  failures: z.number().int().min(1).max(20),
};

/** Optional per template: a running server that fails it is killed and counted as a `hung` crash. */
export const LivenessCheck = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("tcp"),
    /** The container port (the agent connects to its host port). */
    port: z.number().int().min(1).max(65535),
    ...LivenessTiming,
  }),
  z.object({
    kind: z.literal("console"),
    /** Typed into the console (a line end is added). */
    command: z.string().min(1).max(256),
    /** Regex source; a console line matching it within the timeout is an answer. */
    expect: z.string().min(1).max(512),
    ...LivenessTiming,
  }),
]);
export type LivenessCheck = z.infer<typeof LivenessCheck>;

/** Agent → portal: one crash, classified. `crashId` makes a resent report idempotent. */
export const ServerCrashEvent = z.object({
  serverId: z.string(),
  crashId: z.uuid(),
  at: z.number().int(),
  exitCode: z.number().int().nullable(),
  signal: z.string().max(32).nullable(),
  oomKilled: z.boolean(),
  uptimeMs: z.number().int().nonnegative(),
  /** The last console lines before the exit (at most 100), ANSI codes removed. */
  logTail: z.array(z.string().max(4096)).max(100),
  class: CrashClass,
  /** The id of the rule that matched, or a built-in reason such as "exit:137+memory". */
  matchedRule: z.string().max(64).nullable(),
  /** The mod, plugin, library or module the log names, when it does. */
  subject: z.string().max(200).nullable(),
  suggestion: z.string().max(400),
  /** When the automatic restart will happen; null when none is scheduled. */
  restartAt: z.number().int().nullable(),
  /** This crash paused automatic restarts (the server is now in `error`). */
  crashLoop: z.boolean(),
});
export type ServerCrashEvent = z.infer<typeof ServerCrashEvent>;

export const StatsSample = z.object({
  serverId: z.string(),
  at: z.number().int(),
  cpuPercent: z.number().nonnegative(),
  memoryBytes: z.number().int().nonnegative(),
  memoryLimitBytes: z.number().int().nonnegative(),
  /** Counters since the process started; the portal derives rates. */
  rxBytes: z.number().int().nonnegative(),
  txBytes: z.number().int().nonnegative(),
});
export type StatsSample = z.infer<typeof StatsSample>;

/** Agent → portal every 2 s: one sample per running server of the node. */
export const ServerStatsEvent = z.object({ samples: z.array(StatsSample).max(5000) });
export type ServerStatsEvent = z.infer<typeof ServerStatsEvent>;
