import type { PrismaClient } from "@berth/db";
import type { Logger } from "pino";
import { AppError } from "../../lib/app-error";
import type { AgentCommands } from "../../lib/runtime";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { pushServerSpec, type SpecTakesEffect } from "./push-server-spec";
import { loadServerFor } from "./server-access";

/**
 * Switches a dev server to another runtime version (or to none). The node installs the new
 * version and re-creates the container, keeping the workspace: at once when the server is
 * stopped, otherwise at its next start.
 */
export async function updateServerRuntime({
  prisma,
  agents,
  log,
  actor,
  serverId,
  runtimeVersionId,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  log: Logger;
  actor: Actor;
  serverId: string;
  runtimeVersionId: string | null;
}): Promise<{ takesEffect: SpecTakesEffect }> {
  const server = await loadServerFor({ prisma, actor, serverId });
  if (server.kind !== "dev") throw new AppError("BAD_REQUEST", "Only dev servers have a runtime.");
  if (runtimeVersionId) {
    const version = await prisma.runtimeVersion.findUnique({
      where: { id: runtimeVersionId },
      include: { runtime: true },
    });
    if (
      !version ||
      !version.enabled ||
      !version.runtime.enabled ||
      version.runtime.kind !== "runtime"
    ) {
      throw new AppError("BAD_REQUEST", "runtimeVersionId: not an enabled runtime version.");
    }
  }
  if (server.runtimeVersionId === runtimeVersionId) return { takesEffect: "now" };
  await prisma.$transaction(async (tx) => {
    await tx.server.update({
      where: { id: server.id },
      data: { runtimeVersionId, specPendingSince: new Date() },
    });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "server.runtime",
      targetType: "server",
      targetId: server.id,
      data: { from: server.runtimeVersionId, to: runtimeVersionId },
    });
  });
  const takesEffect = await pushServerSpec({ prisma, agents, log, serverId: server.id });
  return { takesEffect };
}
