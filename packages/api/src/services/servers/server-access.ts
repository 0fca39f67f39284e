import type { PrismaClient, Server } from "@berth/db";
import { AppError } from "../../lib/app-error";
import type { Actor } from "../actor";

/**
 * The one ownership rule: the owner or an admin may see and act on a server. Anyone else is told
 * it does not exist, so ids of other people's servers reveal nothing.
 */
export async function loadServerFor({
  prisma,
  actor,
  serverId,
}: {
  prisma: PrismaClient;
  actor: Actor;
  serverId: string;
}): Promise<Server> {
  const server = await prisma.server.findUnique({ where: { id: serverId } });
  const allowed =
    server && (actor.kind === "system" || actor.role === "admin" || server.ownerId === actor.id);
  if (!allowed) throw new AppError("NOT_FOUND", "No such server.");
  return server;
}
