import type { PrismaClient } from "@berth/db";
import type { PowerAction } from "@berth/protocol";
import { AppError } from "../../lib/app-error";
import type { AgentCommands } from "../../lib/runtime";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { recordServerState } from "./record-server-events";
import { loadServerFor } from "./server-access";

export async function powerServer({
  prisma,
  agents,
  actor,
  serverId,
  action,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  actor: Actor;
  serverId: string;
  action: PowerAction;
}): Promise<{ state: string; since: number }> {
  const server = await loadServerFor({ prisma, actor, serverId });
  // The wish is recorded first: reconciliation carries it out if the node is away right now.
  const desiredState = action === "start" || action === "restart" ? "running" : "offline";
  await prisma.$transaction(async (tx) => {
    await tx.server.update({ where: { id: server.id }, data: { desiredState } });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: `server.${action}`,
      targetType: "server",
      targetId: server.id,
    });
  });
  const result = await agents.power(server.nodeId, { serverId: server.id, action });
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  await recordServerState({ prisma, nodeId: server.nodeId, event: result.data });
  return { state: result.data.state, since: result.data.since };
}
