import type { Prisma, PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { hashSecret, newToken } from "../../lib/secrets";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";

export const ENROLLMENT_TOKEN_TTL_MS = 60 * 60_000;

export interface CreatedNode {
  node: { id: string; name: string };
  /** Shown once; only its hash is stored. */
  enrollmentToken: string;
  expiresAt: Date;
  command: string;
}

export const enrollCommand = (publicUrl: string, token: string): string =>
  `berth-agent enroll --portal ${publicUrl} --token ${token}`;

export async function createNode({
  prisma,
  name,
  actor,
  publicUrl,
  now = new Date(),
}: {
  prisma: PrismaClient;
  name: string;
  actor: Actor;
  publicUrl: string;
  now?: Date;
}): Promise<CreatedNode> {
  const token = newToken("enroll");
  const expiresAt = new Date(now.getTime() + ENROLLMENT_TOKEN_TTL_MS);
  const node = await prisma.$transaction(async (tx) => {
    if (await tx.node.findUnique({ where: { name }, select: { id: true } })) {
      throw new AppError("CONFLICT", `A node named "${name}" already exists.`);
    }
    const created = await tx.node.create({ data: { name }, select: { id: true, name: true } });
    await storeEnrollmentToken(tx, { nodeId: created.id, token, expiresAt });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "node.create",
      targetType: "node",
      targetId: created.id,
      data: { name },
    });
    return created;
  });
  return { node, enrollmentToken: token, expiresAt, command: enrollCommand(publicUrl, token) };
}

async function storeEnrollmentToken(
  db: PrismaClient | Prisma.TransactionClient,
  { nodeId, token, expiresAt }: { nodeId: string; token: string; expiresAt: Date },
): Promise<void> {
  await db.enrollmentToken.create({ data: { nodeId, tokenHash: hashSecret(token), expiresAt } });
}

/** A fresh one-time token for a node that exists (e.g. the local node after its config was lost). */
export async function issueEnrollmentToken({
  prisma,
  nodeId,
  now = new Date(),
}: {
  prisma: PrismaClient;
  nodeId: string;
  now?: Date;
}): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken("enroll");
  const expiresAt = new Date(now.getTime() + ENROLLMENT_TOKEN_TTL_MS);
  await storeEnrollmentToken(prisma, { nodeId, token, expiresAt });
  return { token, expiresAt };
}
