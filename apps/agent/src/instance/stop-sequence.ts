import type { Driver, ExitInfo } from "../drivers/driver";
import { waitFor, type Clock } from "./clock";
import type { InstanceLog } from "./instance-log";

export interface StopSequenceOptions {
  driver: Driver;
  serverId: string;
  clock: Clock;
  log: InstanceLog;
  /** Ends every wait early; the caller (a kill) has taken over. */
  signal: AbortSignal;
  /** The attached console, when there is one; without it the sequence starts at SIGTERM. */
  console?: { write(data: string): void; exited: Promise<ExitInfo> };
  stopCommand?: string;
  /** The stop command is already on its way (a person typed it): only wait for it. */
  commandSent?: boolean;
  stopTimeoutMs: number;
  termTimeoutMs: number;
}

export type StopOutcome =
  { kind: "exited"; by: "command" | "SIGTERM" | "SIGKILL" } | { kind: "aborted" };

/**
 * Escalates until the process is gone: the template's stop command (then up to `stopTimeoutMs`
 * for the exit), SIGTERM (up to `termTimeoutMs`), SIGKILL. Driver errors are thrown.
 */
export async function runStopSequence(o: StopSequenceOptions): Promise<StopOutcome> {
  if (o.console && o.stopCommand) {
    if (!o.commandSent) o.console.write(`${o.stopCommand}\n`);
    const waited = await waitFor(o.clock, o.console.exited, o.stopTimeoutMs, o.signal);
    if (waited.kind === "done") return { kind: "exited", by: "command" };
    if (waited.kind === "aborted") return { kind: "aborted" };
    o.log.info({ timeoutMs: o.stopTimeoutMs }, "stop command not obeyed in time; sending SIGTERM");
  }
  if (o.signal.aborted) return { kind: "aborted" };
  const exited = await o.driver.stop(o.serverId, {
    signal: "SIGTERM",
    timeoutMs: o.termTimeoutMs,
  });
  if (o.signal.aborted) return { kind: "aborted" };
  if (exited) return { kind: "exited", by: "SIGTERM" };
  o.log.warn({ timeoutMs: o.termTimeoutMs }, "SIGTERM not obeyed in time; killing");
  await o.driver.kill(o.serverId);
  return { kind: "exited", by: "SIGKILL" };
}
