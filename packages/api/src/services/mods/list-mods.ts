import type { PrismaClient, Server } from "@berth/db";
import type { ModListing } from "@berth/protocol";
import { AppError } from "../../lib/app-error";
import type { AgentCommands } from "../../lib/runtime";
import type { Actor } from "../actor";
import { loadServerFor } from "../servers/server-access";

/** Owner or admin: the jars in a game server's mods/ and plugins/, as its node reads them. */
export async function listMods({
  prisma,
  agents,
  actor,
  serverId,
}: {
  prisma: PrismaClient;
  agents: AgentCommands;
  actor: Actor;
  serverId: string;
}): Promise<ModListing> {
  const server = await loadGameServer({ prisma, actor, serverId });
  const result = await agents.listMods(server.nodeId, { serverId: server.id });
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  return result.data;
}

/** The server, when the actor may see it and it is a game server (dev servers have no mods). */
export async function loadGameServer(options: {
  prisma: PrismaClient;
  actor: Actor;
  serverId: string;
}): Promise<Server> {
  const server = await loadServerFor(options);
  if (server.kind !== "game") throw new AppError("BAD_REQUEST", "Mods are for game servers.");
  return server;
}
