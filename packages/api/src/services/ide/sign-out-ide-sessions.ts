import type { PrismaClient } from "@berth/db";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { loadServerFor } from "../servers/server-access";

/** Owner or admin: ends every IDE link and browser session of the server (within seconds). */
export async function signOutIdeSessions({
  prisma,
  actor,
  serverId,
  now = new Date(),
}: {
  prisma: PrismaClient;
  actor: Actor;
  serverId: string;
  now?: Date;
}): Promise<{ revoked: number }> {
  const server = await loadServerFor({ prisma, actor, serverId });
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.ideToken.updateMany({
      where: { serverId: server.id, revokedAt: null },
      data: { revokedAt: now },
    });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "server.ide.sign_out",
      targetType: "server",
      targetId: server.id,
      data: { revoked: count },
    });
    return { revoked: count };
  });
}
