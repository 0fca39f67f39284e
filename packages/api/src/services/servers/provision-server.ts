import type { PrismaClient } from "@berth/db";
import type { Result, ServerSnapshot, ServerSpecPayload } from "@berth/protocol";
import type { Logger } from "pino";
import type { AgentCommands, ServerEvents } from "../../lib/runtime";
import { buildDevServerSpec, buildGameServerSpec } from "./build-spec";
import { recordServerState } from "./record-server-events";

/** Codes that mean "try again when the node is back": reconciliation re-dispatches then. */
const RETRY_LATER = new Set(["NODE_OFFLINE", "NODE_TIMEOUT"]);

/**
 * Sends a server's spec to its node. Safe to repeat: the agent provisions once per server id.
 * Progress arrives separately as server:progress events from the agent.
 */
export async function provisionServer({
  prisma,
  agents,
  serverEvents,
  log,
  serverId,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  serverEvents: ServerEvents;
  log: Logger;
  serverId: string;
}): Promise<Result<ServerSnapshot> | null> {
  const server = await prisma.server.findUnique({
    where: { id: serverId },
    include: { template: true, node: true },
  });
  if (!server) return null;

  const fail = async (message: string) => {
    await prisma.server.update({
      where: { id: serverId },
      data: { provisionStage: "failed", provisionMessage: message },
    });
    serverEvents.progress({ serverId, stage: "failed", percent: server.provisionPercent, message });
  };
  let spec: ServerSpecPayload;
  if (server.kind === "dev") {
    spec = buildDevServerSpec(server);
  } else if (server.template) {
    spec = buildGameServerSpec(server, server.template, server.node);
  } else {
    await fail("This server's template no longer exists.");
    return null;
  }
  const result = await agents.provision(server.nodeId, {
    spec,
    start: server.desiredState === "running",
  });
  if (result.ok) {
    await recordServerState({ prisma, nodeId: server.nodeId, event: result.data });
  } else if (RETRY_LATER.has(result.error.code)) {
    log.warn({ serverId, reason: result.error.message }, "provisioning deferred");
  } else {
    log.warn({ serverId, error: result.error }, "provisioning failed");
    await fail(result.error.message);
  }
  return result;
}
