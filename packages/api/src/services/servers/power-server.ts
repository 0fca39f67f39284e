import type { PrismaClient } from "@berth/db";
import type { PowerAction, Result, ServerSnapshot } from "@berth/protocol";
import type { Logger } from "pino";
import { AppError } from "../../lib/app-error";
import type { AgentCommands } from "../../lib/runtime";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { clearSpecPending } from "./provision-server";
import { recordServerState } from "./record-server-events";
import { loadServerFor } from "./server-access";
import { loadServerSpec } from "./server-spec";

export async function powerServer({
  prisma,
  agents,
  log,
  actor,
  serverId,
  action,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  log: Logger;
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
  const starts = action === "start" || action === "restart";
  const result =
    starts && server.specPendingSince
      ? await startWithNewSpec({
          prisma,
          agents,
          log,
          serverId: server.id,
          nodeId: server.nodeId,
          action,
        })
      : await agents.power(server.nodeId, { serverId: server.id, action });
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  await recordServerState({ prisma, nodeId: server.nodeId, event: result.data });
  return { state: result.data.state, since: result.data.since };
}

/**
 * The spec changed since the node received it (e.g. a new restart policy): a start sends it again
 * through provisioning, which the agent applies to a stopped server; a restart stops first.
 */
async function startWithNewSpec({
  prisma,
  agents,
  log,
  serverId,
  nodeId,
  action,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  log: Logger;
  serverId: string;
  nodeId: string;
  action: "start" | "restart";
}): Promise<Result<ServerSnapshot>> {
  if (action === "restart") {
    const stopped = await agents.power(nodeId, { serverId, action: "stop" });
    if (!stopped.ok) return stopped;
    await recordServerState({ prisma, nodeId, event: stopped.data });
  }
  const builtAt = new Date();
  const loaded = await loadServerSpec({ prisma, log, serverId });
  if (!loaded.found) throw new AppError("NOT_FOUND", "No such server.");
  if (!loaded.spec) throw new AppError("CONFLICT", loaded.problem);
  const result = await agents.provision(nodeId, { spec: loaded.spec, start: true });
  if (result.ok) await clearSpecPending({ prisma, serverId, builtAt });
  return result;
}
