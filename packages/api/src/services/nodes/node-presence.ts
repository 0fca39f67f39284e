import type { PrismaClient } from "@berth/db";
import type { AgentHello } from "@berth/protocol";

/** Presence is observed state: the agent's hello and heartbeats set it, disconnects and silence clear it. */
export async function markNodeOnline({
  prisma,
  nodeId,
  hello,
  now = new Date(),
}: {
  prisma: PrismaClient;
  nodeId: string;
  hello: AgentHello;
  now?: Date;
}): Promise<void> {
  await prisma.node.update({
    where: { id: nodeId },
    data: {
      status: "online",
      lastSeenAt: now,
      agentVersion: hello.agentVersion,
      drivers: hello.drivers,
      memoryMb: hello.capacity.memoryMb,
      cpuCores: hello.capacity.cpuCores,
      diskMb: hello.capacity.diskMb,
      address: hello.address,
    },
  });
}

export async function markNodeSeen({
  prisma,
  nodeId,
  now = new Date(),
}: {
  prisma: PrismaClient;
  nodeId: string;
  now?: Date;
}): Promise<void> {
  await prisma.node.updateMany({
    where: { id: nodeId, revokedAt: null },
    data: { status: "online", lastSeenAt: now },
  });
}

export async function markNodeOffline({
  prisma,
  nodeId,
}: {
  prisma: PrismaClient;
  nodeId: string;
}): Promise<void> {
  await prisma.node.updateMany({ where: { id: nodeId }, data: { status: "offline" } });
}

/**
 * Marks nodes offline that no portal has heard from within `staleAfterMs` (an agent whose portal
 * died never sent a disconnect). Returns the ids it changed.
 */
export async function sweepStaleNodes({
  prisma,
  staleAfterMs,
  now = new Date(),
}: {
  prisma: PrismaClient;
  staleAfterMs: number;
  now?: Date;
}): Promise<string[]> {
  const cutoff = new Date(now.getTime() - staleAfterMs);
  const stale = await prisma.node.findMany({
    where: { status: "online", OR: [{ lastSeenAt: null }, { lastSeenAt: { lt: cutoff } }] },
    select: { id: true },
  });
  if (stale.length === 0) return [];
  const ids = stale.map((n) => n.id);
  await prisma.node.updateMany({
    where: { id: { in: ids }, status: "online" },
    data: { status: "offline" },
  });
  return ids;
}
