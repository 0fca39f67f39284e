import type { PrismaClient } from "@berth/db";
import type { CodeServerEvent, ServerProgressEvent, ServerStateEvent } from "@berth/protocol";

/**
 * Observed state reported by an agent, applied only when newer than what is stored: reports are
 * handled concurrently, and a command's answer can arrive after the event that superseded it. The
 * update is scoped to the reporting node, so an agent can only ever speak for its own servers.
 */
export async function recordServerState({
  prisma,
  nodeId,
  event,
}: {
  prisma: PrismaClient;
  nodeId: string;
  event: Pick<ServerStateEvent, "serverId" | "state" | "since"> & { restartAt?: number | null };
}): Promise<"applied" | "stale" | "not_on_node"> {
  const { count } = await prisma.server.updateMany({
    where: { id: event.serverId, nodeId, observedSince: { lte: event.since } },
    data: {
      observedState: event.state,
      observedSince: event.since,
      // A reloaded page counts down to it; any state without a scheduled restart clears it.
      restartAt: event.restartAt ? new Date(event.restartAt) : null,
    },
  });
  if (count === 1) return "applied";
  const onNode = await prisma.server.count({ where: { id: event.serverId, nodeId } });
  return onNode ? "stale" : "not_on_node";
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

/** A dev server's code-server as its agent reports it; older reports are ignored. */
export async function recordCodeServerStatus({
  prisma,
  nodeId,
  event,
}: {
  prisma: PrismaClient;
  nodeId: string;
  event: CodeServerEvent;
}): Promise<boolean> {
  const { count } = await prisma.server.updateMany({
    where: { id: event.serverId, nodeId, codeServerSince: { lte: event.since } },
    data: {
      codeServerState: event.state,
      codeServerSince: event.since,
      codeServerMessage: event.message,
    },
  });
  return count === 1;
}
