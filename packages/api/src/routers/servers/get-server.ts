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
  const [node, template, lastCrash] = await Promise.all([
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
    prisma.crashEvent.findFirst({
      where: { serverId: server.id },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      select: { id: true, occurredAt: true, class: true, crashLoop: true },
    }),
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
    runtimeVersionId: server.runtimeVersionId,
    /** Everything the server needs is in place: its runtime, and code-server when enabled. */
    provisioningComplete: server.provisionStage === "ready",
    codeServer: server.codeServer
      ? {
          state: server.codeServerState ?? "stopped",
          since: Number(server.codeServerSince),
          message: server.codeServerMessage,
        }
      : null,
    ports: server.ports as unknown as AllocatedPort[],
    memoryMb: server.memoryMb,
    cpuPercent: server.cpuPercent,
    diskMb: server.diskMb,
    /** While crashed with an automatic restart scheduled: when it happens. */
    restartAt: server.restartAt,
    restartPolicy: {
      autoRestart: server.autoRestart,
      restartDelaysS: server.restartDelaysS,
      restartResetS: server.restartResetS,
      crashLoopAfter: server.crashLoopAfter,
    },
    /** A changed policy or template rule reaches the node with the next start. */
    specPending: server.specPendingSince !== null,
    /** The newest crash; with `crashLoop` and state `error`, automatic restarts are paused. */
    lastCrash,
    createdAt: server.createdAt,
  };
}
