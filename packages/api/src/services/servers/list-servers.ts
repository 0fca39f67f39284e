import type { PrismaClient } from "@berth/db";
import type { Actor } from "../actor";

export interface ServerListItem {
  id: string;
  name: string;
  kind: "game" | "dev";
  observedState: string;
  provisionStage: string | null;
  provisionPercent: number;
  /** While crashed with an automatic restart scheduled: when it happens. */
  restartAt: Date | null;
  nodeName: string;
  createdAt: Date;
  /** Dev servers with code-server enabled: its last reported state. */
  codeServer: { state: string; since: number } | null;
}

/** A user sees their own servers; the platform sees all. */
export async function listServers({
  prisma,
  actor,
}: {
  prisma: PrismaClient;
  actor: Actor;
}): Promise<ServerListItem[]> {
  const servers = await prisma.server.findMany({
    where: actor.kind === "user" ? { ownerId: actor.id } : {},
    include: { node: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return servers.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    observedState: s.observedState,
    provisionStage: s.provisionStage,
    provisionPercent: s.provisionPercent,
    restartAt: s.restartAt,
    nodeName: s.node.name,
    createdAt: s.createdAt,
    codeServer:
      s.kind === "dev" && s.codeServer
        ? { state: s.codeServerState ?? "stopped", since: Number(s.codeServerSince) }
        : null,
  }));
}
