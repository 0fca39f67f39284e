import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import type { AgentCommands } from "../../lib/runtime";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { loadServerFor } from "./server-access";

export async function deleteServer({
  prisma,
  agents,
  actor,
  serverId,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  actor: Actor;
  serverId: string;
}): Promise<{ nodeId: string }> {
  const server = await loadServerFor({ prisma, actor, serverId });
  const removed = await agents.remove(server.nodeId, { serverId: server.id });
  // An offline node's leftover is reported as unknown when it reconnects; it is never lost silently.
  if (!removed.ok && removed.error.code !== "NODE_OFFLINE") {
    throw new AppError(removed.error.code, removed.error.message);
  }
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
