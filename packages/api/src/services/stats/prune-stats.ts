import type { PrismaClient } from "@berth/db";
import { STAT_RESOLUTIONS } from "./downsample";

/** Deletes history older than each resolution keeps. */
export async function pruneStats({
  prisma,
  now = Date.now(),
}: {
  prisma: PrismaClient;
  now?: number;
}): Promise<number> {
  const { count } = await prisma.serverStat.deleteMany({
    where: {
      OR: STAT_RESOLUTIONS.map(({ resolutionS, keepMs }) => ({
        resolutionS,
        bucketAt: { lt: new Date(now - keepMs) },
      })),
    },
  });
  return count;
}
