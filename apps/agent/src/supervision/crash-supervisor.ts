// The node's restart policy in action: per server, the crash streak and the one pending restart.
// It decides and keeps time (injected clock); starting the server is the caller's `restart`.
import type { RestartPolicy } from "@berth/protocol";
import type { Clock, TimerHandle } from "../instance/clock";
import type { CrashDecision } from "../instance/instance-types";
import { CRASH_LOOP_REASON, nextRestart } from "./restart-policy";

export interface CrashSupervisorOptions {
  clock: Clock;
  /** The restart of a crashed server came due. */
  restart(serverId: string): void;
}

interface Pending {
  at: number;
  timer: TimerHandle;
}

export class CrashSupervisor {
  private readonly clock: Clock;
  private readonly restart: (serverId: string) => void;
  private readonly streaks = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private disposed = false;

  constructor(options: CrashSupervisorOptions) {
    this.clock = options.clock;
    this.restart = options.restart;
  }

  /** A crash: counts it and schedules the restart, or calls it a crash loop. */
  crashed(
    serverId: string,
    policy: RestartPolicy,
    crash: { at: number; uptimeMs: number },
  ): CrashDecision {
    this.cancel(serverId);
    const step = nextRestart(policy, this.streaks.get(serverId) ?? 0, crash.uptimeMs);
    this.streaks.set(serverId, step.streak);
    if (this.disposed) return { kind: "none" };
    switch (step.verdict.kind) {
      case "off":
        return { kind: "none" };
      case "crash_loop":
        return { kind: "crash_loop", reason: CRASH_LOOP_REASON };
      case "restart": {
        const at = crash.at + step.verdict.delayMs;
        const timer = this.clock.setTimeout(
          () => {
            if (this.pending.get(serverId)?.timer !== timer) return;
            this.pending.delete(serverId);
            this.restart(serverId);
          },
          Math.max(0, at - this.clock.now()),
        );
        this.pending.set(serverId, { at, timer });
        return { kind: "restart", at };
      }
    }
  }

  /** Someone took over (start, stop, kill, install): the pending restart is dropped, the streak ends. */
  takenOver(serverId: string): void {
    this.cancel(serverId);
    this.streaks.delete(serverId);
  }

  /** When the pending restart happens, if one is pending. */
  restartAt(serverId: string): number | null {
    return this.pending.get(serverId)?.at ?? null;
  }

  forget(serverId: string): void {
    this.takenOver(serverId);
  }

  /** Drops every pending restart; nothing is restarted after this. */
  dispose(): void {
    this.disposed = true;
    for (const serverId of [...this.pending.keys()]) this.cancel(serverId);
  }

  private cancel(serverId: string): void {
    const pending = this.pending.get(serverId);
    if (!pending) return;
    this.clock.clearTimeout(pending.timer);
    this.pending.delete(serverId);
  }
}
