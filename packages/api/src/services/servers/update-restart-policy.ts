import type { PrismaClient } from "@berth/db";
import type { Logger } from "pino";
import type { AgentCommands } from "../../lib/runtime";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { pushServerSpec, type SpecTakesEffect } from "./push-server-spec";
import { loadServerFor } from "./server-access";

export interface RestartPolicyColumns {
  autoRestart: boolean;
  restartDelaysS: number[];
  restartResetS: number;
  crashLoopAfter: number;
}

/**
 * Stores a server's restart policy and marks its spec pending, then offers the new spec to the
 * node. It takes effect at once on a stopped server, otherwise at the next start.
 */
export async function updateRestartPolicy({
  prisma,
  agents,
  log,
  actor,
  serverId,
  policy,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  log: Logger;
  actor: Actor;
  serverId: string;
  policy: RestartPolicyColumns;
}): Promise<{ takesEffect: SpecTakesEffect }> {
  const server = await loadServerFor({ prisma, actor, serverId });
  await prisma.$transaction(async (tx) => {
    await tx.server.update({
      where: { id: server.id },
      data: { ...policy, specPendingSince: new Date() },
    });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "server.restart_policy",
      targetType: "server",
      targetId: server.id,
      data: { ...policy },
    });
  });
  const takesEffect = await pushServerSpec({ prisma, agents, log, serverId: server.id });
  return { takesEffect };
}
