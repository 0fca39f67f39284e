/** The time spans the usage charts offer; the id is what `servers.stats` takes. */
export const STATS_RANGES = [
  { id: "15m", label: "15 min", ms: 15 * 60_000 },
  { id: "1h", label: "1 h", ms: 60 * 60_000 },
  { id: "6h", label: "6 h", ms: 6 * 60 * 60_000 },
  { id: "24h", label: "24 h", ms: 24 * 60 * 60_000 },
] as const;

export type StatsRangeId = (typeof STATS_RANGES)[number]["id"];

export const DEFAULT_STATS_RANGE: StatsRangeId = "15m";

export function rangeMs(id: StatsRangeId): number {
  return STATS_RANGES.find((r) => r.id === id)?.ms ?? STATS_RANGES[0].ms;
}
