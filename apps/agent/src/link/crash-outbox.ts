// Crash reports on their way to the portal: kept until the portal acknowledges them, sent one at a
// time in order, sent again after a reconnect or a failed attempt. Bounded: past `max` reports the
// oldest is given up. The portal records by crashId, so a report sent twice is recorded once.
import type { ErrorCode, Result, ServerCrashEvent } from "@berth/protocol";
import type { Clock, TimerHandle } from "../instance/clock";
import type { InstanceLog } from "../instance/instance-log";

export const MAX_PENDING_CRASHES = 100;
export const CRASH_RETRY_MS = 10_000;

/** Refusals that sending again cannot change. */
const FINAL: ReadonlySet<ErrorCode> = new Set(["BAD_REQUEST", "NOT_FOUND", "FORBIDDEN"]);

export interface CrashOutboxOptions {
  /** One attempt; rejects when the link is down or the portal does not answer in time. */
  send(event: ServerCrashEvent): Promise<Result<{ recorded: boolean }>>;
  connected(): boolean;
  clock: Clock;
  log: InstanceLog;
  max?: number;
  retryMs?: number;
}

export class CrashOutbox {
  private readonly options: CrashOutboxOptions;
  private readonly queue: ServerCrashEvent[] = [];
  private sending = false;
  private retry: TimerHandle | null = null;
  private closed = false;

  constructor(options: CrashOutboxOptions) {
    this.options = options;
  }

  /** Reports not yet acknowledged, oldest first. */
  get pending(): readonly ServerCrashEvent[] {
    return this.queue;
  }

  add(event: ServerCrashEvent): void {
    if (this.closed) return;
    this.queue.push(event);
    const max = this.options.max ?? MAX_PENDING_CRASHES;
    while (this.queue.length > max) {
      const dropped = this.queue.shift()!;
      this.options.log.warn(
        { serverId: dropped.serverId, crashId: dropped.crashId },
        "crash report given up: too many waiting for the portal",
      );
    }
    void this.flush();
  }

  /** Sends what is waiting, if the link is up and nothing is being sent. */
  async flush(): Promise<void> {
    if (this.sending || this.closed) return;
    this.sending = true;
    this.cancelRetry();
    try {
      while (this.queue.length > 0 && this.options.connected() && !this.closed) {
        const event = this.queue[0]!;
        if (!(await this.attempt(event))) {
          this.scheduleRetry();
          return;
        }
        // The head may have been dropped for room meanwhile; remove this event wherever it is.
        const at = this.queue.indexOf(event);
        if (at >= 0) this.queue.splice(at, 1);
      }
    } finally {
      this.sending = false;
    }
  }

  close(): void {
    this.closed = true;
    this.cancelRetry();
  }

  /** True when the report is settled (recorded, or refused for good). */
  private async attempt(event: ServerCrashEvent): Promise<boolean> {
    const { log } = this.options;
    let reply: Result<{ recorded: boolean }>;
    try {
      reply = await this.options.send(event);
    } catch (error) {
      log.warn({ crashId: event.crashId, err: error }, "crash report not acknowledged");
      return false;
    }
    if (reply.ok) return true;
    if (FINAL.has(reply.error.code)) {
      log.warn({ crashId: event.crashId, error: reply.error }, "portal refused a crash report");
      return true;
    }
    log.warn({ crashId: event.crashId, error: reply.error }, "portal could not record a crash");
    return false;
  }

  private scheduleRetry(): void {
    if (this.closed || !this.options.connected()) return;
    this.retry = this.options.clock.setTimeout(() => {
      this.retry = null;
      void this.flush();
    }, this.options.retryMs ?? CRASH_RETRY_MS);
  }

  private cancelRetry(): void {
    if (this.retry) this.options.clock.clearTimeout(this.retry);
    this.retry = null;
  }
}
