import type { PrismaClient } from "@berth/db";
import type { Actor } from "../actor";
import { loadServerFor } from "../servers/server-access";

export const STATS_RANGES = {
  "15m": { ms: 15 * 60_000, resolutionS: 10 },
  "1h": { ms: 60 * 60_000, resolutionS: 10 },
  "6h": { ms: 6 * 3_600_000, resolutionS: 300 },
  "24h": { ms: 24 * 3_600_000, resolutionS: 300 },
} as const;
export type StatsRange = keyof typeof STATS_RANGES;

export interface StatsPoint {
  /** Start of the bucket, ms since the epoch. */
  at: number;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  /** Bytes per second. */
  rxRate: number;
  txRate: number;
}

/**
 * A server's usage history for a chart, oldest first (owner or admin). The newest few seconds are
 * still in the portal's memory; the live `server:stats` events cover them.
 */
export async function getServerStats({
  prisma,
  actor,
  serverId,
  range,
  now = Date.now(),
}: {
  prisma: PrismaClient;
  actor: Actor;
  serverId: string;
  range: StatsRange;
  now?: number;
}): Promise<{ range: StatsRange; resolutionS: number; points: StatsPoint[] }> {
  const server = await loadServerFor({ prisma, actor, serverId });
  const { ms, resolutionS } = STATS_RANGES[range];
  const rows = await prisma.serverStat.findMany({
    where: { serverId: server.id, resolutionS, bucketAt: { gte: new Date(now - ms) } },
    orderBy: { bucketAt: "asc" },
  });
  return {
    range,
    resolutionS,
    points: rows.map((r) => ({
      at: r.bucketAt.getTime(),
      cpuPercent: r.cpuPercent,
      memoryBytes: Number(r.memoryBytes),
      memoryLimitBytes: Number(r.memoryLimitBytes),
      rxRate: r.rxRate,
      txRate: r.txRate,
    })),
  };
}
