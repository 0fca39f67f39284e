import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";

export async function revokeNode({
  prisma,
  nodeId,
  actor,
  now = new Date(),
}: {
  prisma: PrismaClient;
  nodeId: string;
  actor: Actor;
  now?: Date;
}): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const node = await tx.node.findUnique({ where: { id: nodeId }, select: { revokedAt: true } });
    if (!node) throw new AppError("NOT_FOUND", "No such node.");
    if (node.revokedAt) return;
    await tx.node.update({ where: { id: nodeId }, data: { revokedAt: now, status: "offline" } });
    await tx.enrollmentToken.updateMany({
      where: { nodeId, usedAt: null },
      data: { expiresAt: now },
    });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "node.revoke",
      targetType: "node",
      targetId: nodeId,
    });
  });
}
