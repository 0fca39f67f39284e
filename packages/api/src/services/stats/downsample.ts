import type { StatsSample } from "@berth/protocol";

/**
 * Usage history in two resolutions: 10 s buckets for the last hour, 5 min buckets for the last
 * 24 h (the hour overlaps, so a chart reads one resolution only). Kept a little longer than shown,
 * so a chart of the full range starts with a full bucket.
 */
export const STAT_RESOLUTIONS = [
  { resolutionS: 10, keepMs: 65 * 60_000 },
  { resolutionS: 300, keepMs: 24 * 3_600_000 + 10 * 60_000 },
] as const;

/** Counters further apart than this do not make a rate (the agent or the link was away). */
export const MAX_RATE_GAP_MS = 30_000;

/** One bucket's worth of samples, averaged; merged into the table weighted by `samples`. */
export interface StatRow {
  serverId: string;
  resolutionS: number;
  bucketAt: number;
  samples: number;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  /** Bytes per second. */
  rxRate: number;
  txRate: number;
}

interface Bucket {
  serverId: string;
  resolutionS: number;
  bucketAt: number;
  samples: number;
  cpuSum: number;
  memorySum: number;
  memoryLimit: number;
  rxRateSum: number;
  txRateSum: number;
  rateSamples: number;
}

interface LastCounters {
  at: number;
  rxBytes: number;
  txBytes: number;
}

/**
 * Folds 2-second samples into buckets in memory; `drain()` hands out what accumulated since the
 * last drain, to be merged into the table in one write. Network rates come from the deltas of the
 * agent's counters; a counter that went down (the process restarted) or a long gap gives no rate
 * for that sample.
 */
export class StatsDownsampler {
  private readonly last = new Map<string, LastCounters>();
  private readonly buckets = new Map<string, Bucket>();

  add(sample: StatsSample): void {
    const previous = this.last.get(sample.serverId);
    if (previous && sample.at <= previous.at) return; // a repeat or out of order
    this.last.set(sample.serverId, {
      at: sample.at,
      rxBytes: sample.rxBytes,
      txBytes: sample.txBytes,
    });
    const rates = previous ? ratesBetween(previous, sample) : null;

    for (const { resolutionS } of STAT_RESOLUTIONS) {
      const size = resolutionS * 1000;
      const bucketAt = Math.floor(sample.at / size) * size;
      const key = `${sample.serverId}/${resolutionS}/${bucketAt}`;
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = {
          serverId: sample.serverId,
          resolutionS,
          bucketAt,
          samples: 0,
          cpuSum: 0,
          memorySum: 0,
          memoryLimit: 0,
          rxRateSum: 0,
          txRateSum: 0,
          rateSamples: 0,
        };
        this.buckets.set(key, bucket);
      }
      bucket.samples += 1;
      bucket.cpuSum += sample.cpuPercent;
      bucket.memorySum += sample.memoryBytes;
      bucket.memoryLimit = sample.memoryLimitBytes;
      if (rates) {
        bucket.rxRateSum += rates.rx;
        bucket.txRateSum += rates.tx;
        bucket.rateSamples += 1;
      }
    }
  }

  /** Rows for everything added since the last drain; forgets counters not updated since `staleBefore`. */
  drain(staleBefore = -Infinity): StatRow[] {
    const rows = [...this.buckets.values()].map((b) => ({
      serverId: b.serverId,
      resolutionS: b.resolutionS,
      bucketAt: b.bucketAt,
      samples: b.samples,
      cpuPercent: b.cpuSum / b.samples,
      memoryBytes: Math.round(b.memorySum / b.samples),
      memoryLimitBytes: b.memoryLimit,
      rxRate: b.rateSamples ? b.rxRateSum / b.rateSamples : 0,
      txRate: b.rateSamples ? b.txRateSum / b.rateSamples : 0,
    }));
    this.buckets.clear();
    for (const [serverId, counters] of this.last) {
      if (counters.at < staleBefore) this.last.delete(serverId);
    }
    return rows;
  }
}

function ratesBetween(
  previous: LastCounters,
  sample: StatsSample,
): { rx: number; tx: number } | null {
  const elapsedMs = sample.at - previous.at;
  if (elapsedMs > MAX_RATE_GAP_MS) return null;
  if (sample.rxBytes < previous.rxBytes || sample.txBytes < previous.txBytes) return null;
  const seconds = elapsedMs / 1000;
  return {
    rx: (sample.rxBytes - previous.rxBytes) / seconds,
    tx: (sample.txBytes - previous.txBytes) / seconds,
  };
}
