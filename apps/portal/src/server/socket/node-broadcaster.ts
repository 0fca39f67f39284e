import type { NodeEvents } from "@berth/api";
import type { PrismaClient } from "@berth/db";
import { rooms, type NodeStatusEvent } from "@berth/protocol";
import type { Logger } from "pino";
import type { PendingWork } from "../pending-work";
import type { AgentNamespace, BrowserNamespace } from "./types";

/** Turns node changes into `node:status` broadcasts for admins and disconnects for revoked agents. */
export function createNodeBroadcaster({
  prisma,
  log,
  agents,
  browsers,
  background,
}: {
  prisma: PrismaClient;
  log: Logger;
  agents: AgentNamespace;
  browsers: BrowserNamespace;
  background: PendingWork;
}): NodeEvents {
  const publish = async (nodeId: string) => {
    const node = await prisma.node.findUnique({ where: { id: nodeId } });
    if (!node) return;
    const event: NodeStatusEvent = {
      id: node.id,
      name: node.name,
      status: node.status,
      lastSeenAt: node.lastSeenAt?.toISOString() ?? null,
      agentVersion: node.agentVersion,
      drivers: node.drivers,
    };
    browsers.to(rooms.nodeStatus).emit("node:status", event);
  };
  const report = (nodeId: string) =>
    background.track(
      publish(nodeId).catch((err: unknown) =>
        log.error({ err, nodeId }, "node status broadcast failed"),
      ),
    );

  return {
    nodeChanged: (nodeId) => void report(nodeId),
    nodeRevoked: (nodeId) => {
      agents.in(rooms.node(nodeId)).disconnectSockets(true);
      void report(nodeId);
    },
  };
}
