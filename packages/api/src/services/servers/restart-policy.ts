import type { Server } from "@berth/db";
import { DEFAULT_RESTART_POLICY, RestartPolicy } from "@berth/protocol";

export type RestartColumns = Pick<
  Server,
  "autoRestart" | "restartDelaysS" | "restartResetS" | "crashLoopAfter"
>;

/** The agent's restart policy from a server's columns (seconds there, milliseconds on the wire). */
export function restartPolicyOf(server: RestartColumns): {
  policy: RestartPolicy;
  problem: string | null;
} {
  const parsed = RestartPolicy.safeParse({
    enabled: server.autoRestart,
    delaysMs: server.restartDelaysS.map((s) => s * 1000),
    resetAfterMs: server.restartResetS * 1000,
    maxConsecutiveCrashes: server.crashLoopAfter,
  });
  if (parsed.success) return { policy: parsed.data, problem: null };
  const issue = parsed.error.issues[0];
  return {
    policy: DEFAULT_RESTART_POLICY,
    problem: `restart policy: ${issue?.path.join(".")} ${issue?.message}; defaults used`,
  };
}
