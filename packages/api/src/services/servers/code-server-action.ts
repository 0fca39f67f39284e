import type { PrismaClient } from "@berth/db";
import type { CodeServerAction, CodeServerStatus } from "@berth/protocol";
import { AppError } from "../../lib/app-error";
import type { AgentCommands, ServerEvents } from "../../lib/runtime";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { recordCodeServerStatus } from "./record-server-events";
import { loadServerFor } from "./server-access";

/** Owner or admin: start, stop or restart a dev server's code-server on its node. */
export async function codeServerAction({
  prisma,
  agents,
  serverEvents,
  actor,
  serverId,
  action,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  serverEvents: ServerEvents;
  actor: Actor;
  serverId: string;
  action: CodeServerAction;
}): Promise<CodeServerStatus> {
  const server = await loadServerFor({ prisma, actor, serverId });
  if (server.kind !== "dev") {
    throw new AppError("BAD_REQUEST", "Only dev servers have code-server.");
  }
  if (!server.codeServer) {
    throw new AppError("BAD_REQUEST", "code-server is not enabled for this server.");
  }
  await prisma.$transaction((tx) =>
    recordAudit(tx, {
      actorId: actorUserId(actor),
      action: `server.code_server.${action}`,
      targetType: "server",
      targetId: server.id,
    }),
  );
  const result = await agents.codeServer(server.nodeId, { serverId: server.id, action });
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  const event = { serverId: server.id, ...result.data };
  if (await recordCodeServerStatus({ prisma, nodeId: server.nodeId, event })) {
    serverEvents.codeServer(event);
  }
  return result.data;
}
