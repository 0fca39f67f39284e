import type { PrismaClient } from "@berth/db";
import type { ModAction, ModListing } from "@berth/protocol";
import { AppError } from "../../lib/app-error";
import type { AgentCommands } from "../../lib/runtime";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { loadGameServer } from "./list-mods";

/**
 * Owner or admin: enable, disable or remove one jar of a game server's mods/ or plugins/. The node
 * confines the path and refuses anything else; a done change is audited with the jar's path.
 */
export async function modAction({
  prisma,
  agents,
  actor,
  serverId,
  file,
  action,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  actor: Actor;
  serverId: string;
  file: string;
  action: ModAction;
}): Promise<ModListing> {
  const server = await loadGameServer({ prisma, actor, serverId });
  const result = await agents.modAction(server.nodeId, { serverId: server.id, file, action });
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  await prisma.$transaction((tx) =>
    recordAudit(tx, {
      actorId: actorUserId(actor),
      action: `server.mod.${action}`,
      targetType: "server",
      targetId: server.id,
      data: { file },
    }),
  );
  return result.data;
}
