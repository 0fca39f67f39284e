import type { PrismaClient, Server } from "@berth/db";
import { isAppError, loadServerFor } from "@berth/api/services";

/** What a console event needs to know about a server the user may use. */
export interface ServerAccess {
  serverId: string;
  nodeId: string;
  kind: Server["kind"];
}

/**
 * The ownership rule of the procedures (owner or admin), with the user read again so a disabled
 * account or a lost admin role counts at once; null when access is refused.
 */
export async function checkServerAccess({
  prisma,
  userId,
  serverId,
}: {
  prisma: PrismaClient;
  userId: string;
  serverId: string;
}): Promise<ServerAccess | null> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { role: true, disabledAt: true },
  });
  if (!user || user.disabledAt) return null;
  try {
    const server = await loadServerFor({
      prisma,
      actor: { kind: "user", id: userId, role: user.role },
      serverId,
    });
    return { serverId: server.id, nodeId: server.nodeId, kind: server.kind };
  } catch (err) {
    if (isAppError(err) && err.code === "NOT_FOUND") return null;
    throw err;
  }
}
