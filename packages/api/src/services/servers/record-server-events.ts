import type { PrismaClient } from "@berth/db";
import type { ServerProgressEvent, ServerStateEvent } from "@berth/protocol";

/**
 * Observed state reported by an agent. The update is scoped to the reporting node, so an agent can
 * only ever speak for its own servers; returns false for anything else.
 */
export async function recordServerState({
  prisma,
  nodeId,
  event,
}: {
  prisma: PrismaClient;
  nodeId: string;
  event: ServerStateEvent;
}): Promise<boolean> {
  const { count } = await prisma.server.updateMany({
    where: { id: event.serverId, nodeId },
    data: { observedState: event.state },
  });
  return count === 1;
}

export async function recordServerProgress({
  prisma,
  nodeId,
  event,
}: {
  prisma: PrismaClient;
  nodeId: string;
  event: ServerProgressEvent;
}): Promise<boolean> {
  const { count } = await prisma.server.updateMany({
    where: { id: event.serverId, nodeId },
    data: {
      provisionStage: event.stage,
      provisionPercent: event.percent,
      provisionMessage: event.message,
    },
  });
  return count === 1;
}
