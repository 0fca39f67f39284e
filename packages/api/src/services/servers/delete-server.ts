import type { PrismaClient } from "@berth/db";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { loadServerFor } from "./server-access";

export async function deleteServer({
  prisma,
  actor,
  serverId,
}: {
  prisma: PrismaClient;
  actor: Actor;
  serverId: string;
}): Promise<{ nodeId: string }> {
  const server = await loadServerFor({ prisma, actor, serverId });
  await prisma.$transaction(async (tx) => {
    await tx.server.delete({ where: { id: server.id } });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "server.delete",
      targetType: "server",
      targetId: server.id,
      data: { nodeId: server.nodeId, name: server.name },
    });
  });
  return { nodeId: server.nodeId };
}
