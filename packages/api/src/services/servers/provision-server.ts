import type { PrismaClient } from "@berth/db";
import type { Result, ServerSnapshot } from "@berth/protocol";
import type { Logger } from "pino";
import type { AgentCommands, ServerEvents } from "../../lib/runtime";
import { recordServerState } from "./record-server-events";
import { loadServerSpec } from "./server-spec";

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
  const builtAt = new Date();
  const loaded = await loadServerSpec({ prisma, log, serverId });
  if (!loaded.found) return null;

  const fail = async (message: string) => {
    const { provisionPercent } = await prisma.server.update({
      where: { id: serverId },
      data: { provisionStage: "failed", provisionMessage: message },
    });
    serverEvents.progress({ serverId, stage: "failed", percent: provisionPercent, message });
  };
  if (!loaded.spec) {
    await fail(loaded.problem);
    return null;
  }
  const result = await agents.provision(loaded.nodeId, {
    spec: loaded.spec,
    start: loaded.desiredState === "running",
  });
  if (result.ok) {
    await clearSpecPending({ prisma, serverId, builtAt });
    await recordServerState({ prisma, nodeId: loaded.nodeId, event: result.data });
  } else if (RETRY_LATER.has(result.error.code)) {
    log.warn({ serverId, reason: result.error.message }, "provisioning deferred");
  } else {
    log.warn({ serverId, error: result.error }, "provisioning failed");
    await fail(result.error.message);
  }
  return result;
}

/** The node holds the spec built at `builtAt`; a change made after that stays pending. */
export async function clearSpecPending({
  prisma,
  serverId,
  builtAt,
}: {
  prisma: PrismaClient;
  serverId: string;
  builtAt: Date;
}): Promise<void> {
  await prisma.server.updateMany({
    where: { id: serverId, specPendingSince: { lte: builtAt } },
    data: { specPendingSince: null },
  });
}
