// Usage of the node's live servers, every 2 s: one batch per tick for the portal, and the latest
// sample per server for the crash classifier. A slow tick delays the next one; two never overlap.
import type { StatsSample } from "@berth/protocol";
import type { ServerStats } from "../drivers/driver";
import type { Clock, TimerHandle } from "../instance/clock";
import type { InstanceLog } from "../instance/instance-log";

export const STATS_INTERVAL_MS = 2_000;

export interface StatsPollerOptions {
  clock: Clock;
  intervalMs?: number;
  /** Servers whose process is alive now. */
  servers(): string[];
  stats(serverId: string): Promise<ServerStats | null>;
  /** One call per tick with every sample taken; not called when there are none. */
  onSamples(samples: StatsSample[]): void;
  log: InstanceLog;
}

export class StatsPoller {
  private readonly options: StatsPollerOptions;
  private readonly intervalMs: number;
  private readonly newest = new Map<string, StatsSample>();
  private timer: TimerHandle | null = null;
  private running = false;

  constructor(options: StatsPollerOptions) {
    this.options = options;
    this.intervalMs = options.intervalMs ?? STATS_INTERVAL_MS;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.intervalMs);
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The newest sample of a server, kept until a round finds the server no longer alive. */
  latest(serverId: string): StatsSample | null {
    return this.newest.get(serverId) ?? null;
  }

  /** One round now; resolves with the samples taken. */
  async tick(): Promise<StatsSample[]> {
    const { clock, log } = this.options;
    const live = this.options.servers();
    for (const serverId of this.newest.keys()) {
      if (!live.includes(serverId)) this.newest.delete(serverId);
    }
    const taken = await Promise.all(
      live.map(async (serverId) => {
        try {
          const stats = await this.options.stats(serverId);
          // A process that has just exited reads as all zeros: no sample rather than a false one.
          if (!stats || (stats.memoryLimitBytes === 0 && stats.memoryBytes === 0)) return null;
          return toSample(serverId, clock.now(), stats);
        } catch (error) {
          log.warn({ serverId, err: error }, "cannot read server stats");
          return null;
        }
      }),
    );
    const samples = taken.filter((s): s is StatsSample => s !== null);
    for (const sample of samples) this.newest.set(sample.serverId, sample);
    if (samples.length > 0) {
      try {
        this.options.onSamples(samples);
      } catch (error) {
        log.error({ err: error }, "stats listener failed");
      }
    }
    return samples;
  }

  private schedule(ms: number): void {
    this.timer = this.options.clock.setTimeout(() => void this.round(), ms);
  }

  private async round(): Promise<void> {
    this.timer = null;
    const startedAt = this.options.clock.now();
    await this.tick();
    if (!this.running) return;
    this.schedule(Math.max(0, this.intervalMs - (this.options.clock.now() - startedAt)));
  }
}

function toSample(serverId: string, at: number, stats: ServerStats): StatsSample {
  const count = (n: number) => (Number.isFinite(n) && n > 0 ? Math.round(n) : 0);
  return {
    serverId,
    at,
    cpuPercent: Number.isFinite(stats.cpuPercent) && stats.cpuPercent > 0 ? stats.cpuPercent : 0,
    memoryBytes: count(stats.memoryBytes),
    memoryLimitBytes: count(stats.memoryLimitBytes),
    rxBytes: count(stats.rxBytes),
    txBytes: count(stats.txBytes),
  };
}
