import type { Logger } from "pino";
import type { PrismaClient } from "@berth/db";
import { pruneStats, StatsDownsampler, writeStatRows } from "@berth/api/services";
import type { StatsSample } from "@berth/protocol";

/** How often accumulated buckets are merged into Postgres (one statement per flush). */
export const STATS_FLUSH_MS = 10_000;
/** How often history past its retention is deleted. */
export const STATS_PRUNE_MS = 10 * 60_000;
/** How long a node's list of servers is trusted before it is read again. */
const NODE_SERVERS_TTL_MS = 10_000;
/** Counters of a server that has not reported for this long are forgotten. */
const FORGET_AFTER_MS = 10 * 60_000;

/**
 * Takes agents' 2-second usage samples: keeps those of servers on the reporting node, folds them
 * into history buckets in memory and writes them in batches, so many servers cost one statement
 * every 10 s instead of a row per sample.
 */
export class StatsRecorder {
  private readonly downsampler = new StatsDownsampler();
  private readonly nodeServers = new Map<string, { ids: Set<string>; readAt: number }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      prisma: PrismaClient;
      log: Logger;
      flushMs?: number;
      pruneMs?: number;
      now?: () => number;
    },
  ) {}

  start(): void {
    const { flushMs = STATS_FLUSH_MS, pruneMs = STATS_PRUNE_MS } = this.options;
    const flush = setInterval(() => void this.flush(), flushMs);
    const prune = setInterval(() => void this.prune(), pruneMs);
    flush.unref();
    prune.unref();
    this.timers.push(flush, prune);
  }

  /**
   * Records a node's samples and returns them grouped by server, for the servers' rooms. Samples
   * of servers the node does not hold are dropped (and counted for the log).
   */
  async accept(
    nodeId: string,
    samples: StatsSample[],
  ): Promise<{ byServer: Map<string, StatsSample[]>; foreign: number }> {
    const held = await this.serversOf(nodeId, samples);
    const byServer = new Map<string, StatsSample[]>();
    let foreign = 0;
    for (const sample of samples) {
      if (!held.has(sample.serverId)) {
        foreign++;
        continue;
      }
      this.downsampler.add(sample);
      const list = byServer.get(sample.serverId) ?? [];
      list.push(sample);
      byServer.set(sample.serverId, list);
    }
    return { byServer, foreign };
  }

  /** Writes what accumulated; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const now = this.now();
      const rows = this.downsampler.drain(now - FORGET_AFTER_MS);
      if (rows.length === 0) return;
      try {
        await writeStatRows({ prisma: this.options.prisma, rows });
      } catch (err) {
        // History is best effort: a failed batch is dropped, live charts are unaffected.
        this.options.log.warn({ err, rows: rows.length }, "stats history write failed");
      }
    });
    return this.flushing;
  }

  async prune(): Promise<void> {
    try {
      const deleted = await pruneStats({ prisma: this.options.prisma, now: this.now() });
      if (deleted > 0) this.options.log.debug({ deleted }, "old stats pruned");
    } catch (err) {
      this.options.log.warn({ err }, "stats prune failed");
    }
  }

  /** Stops the timers and writes what is left. */
  async close(): Promise<void> {
    this.timers.forEach(clearInterval);
    this.timers.length = 0;
    await this.flush();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private async serversOf(nodeId: string, samples: StatsSample[]): Promise<Set<string>> {
    const cached = this.nodeServers.get(nodeId);
    if (cached) {
      const age = this.now() - cached.readAt;
      const complete = samples.every((s) => cached.ids.has(s.serverId));
      // A server created since the last read is picked up at once, but samples of servers the
      // node does not hold cause at most one read a second.
      if (age < NODE_SERVERS_TTL_MS && (complete || age < 1000)) return cached.ids;
    }
    const rows = await this.options.prisma.server.findMany({
      where: { nodeId },
      select: { id: true },
    });
    const ids = new Set(rows.map((r) => r.id));
    this.nodeServers.set(nodeId, { ids, readAt: this.now() });
    return ids;
  }
}
