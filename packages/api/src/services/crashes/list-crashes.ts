import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import type { Actor } from "../actor";
import { loadServerFor } from "../servers/server-access";
import { toCrashView, type CrashView } from "./crash-view";

/** A server's crashes, newest first, a page at a time (owner or admin). */
export async function listCrashes({
  prisma,
  actor,
  serverId,
  limit,
  cursor,
}: {
  prisma: PrismaClient;
  actor: Actor;
  serverId: string;
  limit: number;
  /** The id of the last crash of the previous page. */
  cursor?: string | null;
}): Promise<{ items: CrashView[]; nextCursor: string | null }> {
  const server = await loadServerFor({ prisma, actor, serverId });
  const after = cursor
    ? await prisma.crashEvent.findFirst({
        where: { id: cursor, serverId: server.id },
        select: { id: true, occurredAt: true },
      })
    : null;
  if (cursor && !after) throw new AppError("BAD_REQUEST", "Unknown crash cursor.");
  const rows = await prisma.crashEvent.findMany({
    where: {
      serverId: server.id,
      ...(after
        ? {
            OR: [
              { occurredAt: { lt: after.occurredAt } },
              { occurredAt: after.occurredAt, id: { lt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map(toCrashView),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
