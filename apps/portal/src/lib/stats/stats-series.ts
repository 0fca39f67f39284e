/**
 * A server's usage as chart series: history points (already rates) and live samples (byte
 * counters since the process started) become one ordered list of points, trimmed to a window,
 * then columns for the chart with breaks where the server was not running.
 */

export interface StatsPoint {
  /** ms since the epoch */
  at: number;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  /** Bytes per second; null where no rate can be derived (first sample, counter reset). */
  rxRate: number | null;
  txRate: number | null;
}

export interface CounterSample {
  at: number;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  rxBytes: number;
  txBytes: number;
}

function rate(previous: number, current: number, seconds: number): number | null {
  // A counter that went down belongs to a new process: there is no rate across the restart.
  if (seconds <= 0 || current < previous) return null;
  return (current - previous) / seconds;
}

/**
 * Points from live samples. `previous` is the last counter sample seen before these (null at
 * first); the returned `last` is the one to pass next time.
 */
export function pointsFromSamples(
  previous: CounterSample | null,
  samples: readonly CounterSample[],
): { points: StatsPoint[]; last: CounterSample | null } {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const points: StatsPoint[] = [];
  let last = previous;
  for (const sample of sorted) {
    if (last && sample.at <= last.at) continue;
    const seconds = last ? (sample.at - last.at) / 1000 : 0;
    points.push({
      at: sample.at,
      cpuPercent: sample.cpuPercent,
      memoryBytes: sample.memoryBytes,
      memoryLimitBytes: sample.memoryLimitBytes,
      rxRate: last ? rate(last.rxBytes, sample.rxBytes, seconds) : null,
      txRate: last ? rate(last.txBytes, sample.txBytes, seconds) : null,
    });
    last = sample;
  }
  return { points, last };
}

/**
 * `incoming` after `points`: only points newer than the newest held are taken (history and the
 * live stream may overlap), then everything older than `windowMs` before the newest is dropped.
 */
export function appendPoints(
  points: readonly StatsPoint[],
  incoming: readonly StatsPoint[],
  windowMs: number,
): StatsPoint[] {
  const newest = points.length > 0 ? points[points.length - 1]!.at : -Infinity;
  const fresh = incoming.filter((p) => p.at > newest).sort((a, b) => a.at - b.at);
  const all = fresh.length > 0 ? [...points, ...fresh] : [...points];
  if (all.length === 0) return all;
  const from = all[all.length - 1]!.at - windowMs;
  const first = all.findIndex((p) => p.at >= from);
  return first <= 0 ? all : all.slice(first);
}

/** Time (seconds, for the chart) and one column per series; null breaks a line. */
export interface StatsColumns {
  time: number[];
  cpu: Array<number | null>;
  memory: Array<number | null>;
  memoryLimit: Array<number | null>;
  rx: Array<number | null>;
  tx: Array<number | null>;
}

/**
 * A silence longer than this, and than 2.5 × the steps around it, is drawn as a break: live
 * samples come every 2 s, older history in coarser buckets.
 */
const MIN_GAP_MS = 10_000;

export function toColumns(points: readonly StatsPoint[]): StatsColumns {
  const columns: StatsColumns = { time: [], cpu: [], memory: [], memoryLimit: [], rx: [], tx: [] };
  const push = (at: number, p: StatsPoint | null) => {
    columns.time.push(at / 1000);
    columns.cpu.push(p ? p.cpuPercent : null);
    columns.memory.push(p ? p.memoryBytes : null);
    // A limit of 0 means none was reported (e.g. the sample of a process that just ended).
    columns.memoryLimit.push(p && p.memoryLimitBytes > 0 ? p.memoryLimitBytes : null);
    columns.rx.push(p ? p.rxRate : null);
    columns.tx.push(p ? p.txRate : null);
  };
  const stepBefore = (i: number) => (i >= 1 ? points[i]!.at - points[i - 1]!.at : Infinity);
  points.forEach((point, i) => {
    if (i > 0) {
      const step = stepBefore(i);
      const before = stepBefore(i - 1);
      const after = i + 1 < points.length ? stepBefore(i + 1) : Infinity;
      const usual = Math.max(
        Number.isFinite(before) ? before : 0,
        Number.isFinite(after) ? after : 0,
      );
      if (step > Math.max(MIN_GAP_MS, 2.5 * usual)) push(points[i - 1]!.at + 1, null);
    }
    push(point.at, point);
  });
  return columns;
}

/**
 * History loaded after live points began to arrive: history up to the first live point, then
 * the live points (they are finer, and newer than any stored bucket).
 */
export function withHistory(
  history: readonly StatsPoint[],
  live: readonly StatsPoint[],
  windowMs: number,
): StatsPoint[] {
  const firstLive = live.length > 0 ? live[0]!.at : Infinity;
  const older = [...history].filter((p) => p.at < firstLive).sort((a, b) => a.at - b.at);
  return appendPoints(older, live, windowMs);
}
