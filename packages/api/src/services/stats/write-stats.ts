import { Prisma, type PrismaClient } from "@berth/db";
import type { StatRow } from "./downsample";

/** Rows per statement: keeps the parameter count (9 per row) far below Postgres' limit. */
const CHUNK = 1000;

/**
 * Merges drained rows into ServerStat, one statement per chunk: a bucket written before (an
 * earlier flush of the same period) is combined weighted by its sample count. Rows of servers
 * deleted meanwhile are dropped by the join instead of failing the batch.
 */
export async function writeStatRows({
  prisma,
  rows,
}: {
  prisma: PrismaClient;
  rows: StatRow[];
}): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows
      .slice(i, i + CHUNK)
      .map(
        (r) =>
          Prisma.sql`(${r.serverId}::text, ${r.resolutionS}::int, ${r.bucketAt}::bigint, ${r.samples}::int, ${r.cpuPercent}::float8, ${r.memoryBytes}::bigint, ${r.memoryLimitBytes}::bigint, ${r.rxRate}::float8, ${r.txRate}::float8)`,
      );
    await prisma.$executeRaw`
      INSERT INTO "ServerStat" AS old
        ("serverId", "resolutionS", "bucketAt", "samples", "cpuPercent", "memoryBytes",
         "memoryLimitBytes", "rxRate", "txRate")
      SELECT v.server_id, v.resolution_s,
             to_timestamp(v.bucket_ms / 1000.0) AT TIME ZONE 'UTC',
             v.samples, v.cpu, v.memory, v.memory_limit, v.rx, v.tx
      FROM (VALUES ${Prisma.join(values)})
        AS v(server_id, resolution_s, bucket_ms, samples, cpu, memory, memory_limit, rx, tx)
      JOIN "Server" s ON s."id" = v.server_id
      ON CONFLICT ("serverId", "resolutionS", "bucketAt") DO UPDATE SET
        "samples" = old."samples" + EXCLUDED."samples",
        "cpuPercent" = (old."cpuPercent" * old."samples" + EXCLUDED."cpuPercent" * EXCLUDED."samples")
          / (old."samples" + EXCLUDED."samples"),
        "memoryBytes" = round((old."memoryBytes" * old."samples" + EXCLUDED."memoryBytes" * EXCLUDED."samples")::numeric
          / (old."samples" + EXCLUDED."samples"))::bigint,
        "memoryLimitBytes" = EXCLUDED."memoryLimitBytes",
        "rxRate" = (old."rxRate" * old."samples" + EXCLUDED."rxRate" * EXCLUDED."samples")
          / (old."samples" + EXCLUDED."samples"),
        "txRate" = (old."txRate" * old."samples" + EXCLUDED."txRate" * EXCLUDED."samples")
          / (old."samples" + EXCLUDED."samples")`;
  }
}
