import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { hashSecret, newToken } from "../../lib/secrets";
import { recordAudit } from "../audit";

export interface EnrolledNode {
  nodeId: string;
  name: string;
  /** The node's long-lived credential: returned once, stored by the agent, kept here only as a hash. */
  credential: string;
}

/**
 * Trades a one-time enrollment token for a node credential. The token is consumed by a conditional
 * update inside the transaction, so two concurrent uses cannot both succeed.
 */
export async function enrollNode({
  prisma,
  token,
  now = new Date(),
}: {
  prisma: PrismaClient;
  token: string;
  now?: Date;
}): Promise<EnrolledNode> {
  const credential = newToken("node");
  return prisma.$transaction(async (tx) => {
    const row = await tx.enrollmentToken.findUnique({
      where: { tokenHash: hashSecret(token) },
      include: { node: true },
    });
    if (!row) throw new AppError("UNAUTHORIZED", "Unknown enrollment token.");
    if (row.usedAt) throw new AppError("UNAUTHORIZED", "This enrollment token was already used.");
    if (row.expiresAt <= now)
      throw new AppError("UNAUTHORIZED", "This enrollment token has expired.");
    if (row.node.revokedAt) throw new AppError("FORBIDDEN", "This node has been revoked.");

    const consumed = await tx.enrollmentToken.updateMany({
      where: { id: row.id, usedAt: null },
      data: { usedAt: now },
    });
    if (consumed.count !== 1)
      throw new AppError("UNAUTHORIZED", "This enrollment token was already used.");

    await tx.node.update({
      where: { id: row.nodeId },
      data: { credentialHash: hashSecret(credential), enrolledAt: now },
    });
    await recordAudit(tx, {
      actorId: null,
      action: "node.enroll",
      targetType: "node",
      targetId: row.nodeId,
    });
    return { nodeId: row.nodeId, name: row.node.name, credential };
  });
}
