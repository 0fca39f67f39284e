import type { PrismaClient } from "@berth/db";
import type { Actor } from "../../services/actor";
import type { AllocatedPort } from "../../services/servers/create-server";
import { loadServerFor } from "../../services/servers/server-access";

export async function getServerDetail({
  prisma,
  actor,
  serverId,
}: {
  prisma: PrismaClient;
  actor: Actor;
  serverId: string;
}) {
  const server = await loadServerFor({ prisma, actor, serverId });
  const [node, template] = await Promise.all([
    prisma.node.findUniqueOrThrow({
      where: { id: server.nodeId },
      select: { name: true, status: true },
    }),
    server.templateId
      ? prisma.template.findUnique({
          where: { id: server.templateId },
          select: { id: true, name: true },
        })
      : null,
  ]);
  return {
    id: server.id,
    name: server.name,
    kind: server.kind,
    ownerId: server.ownerId,
    node: { id: server.nodeId, name: node.name, status: node.status },
    template,
    desiredState: server.desiredState,
    observedState: server.observedState,
    provisionStage: server.provisionStage,
    provisionPercent: server.provisionPercent,
    provisionMessage: server.provisionMessage,
    ports: server.ports as unknown as AllocatedPort[],
    memoryMb: server.memoryMb,
    cpuPercent: server.cpuPercent,
    diskMb: server.diskMb,
    createdAt: server.createdAt,
  };
}
