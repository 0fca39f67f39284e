import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { normalizeEmail } from "../users/create-user";
import { loadServerFor } from "./server-access";

/** Gives a server to another user; the previous owner's IDE links and sessions end with it. */
export async function transferServer({
  prisma,
  actor,
  serverId,
  toEmail,
  now = new Date(),
}: {
  prisma: PrismaClient;
  actor: Actor;
  serverId: string;
  toEmail: string;
  now?: Date;
}): Promise<{ ownerId: string }> {
  const server = await loadServerFor({ prisma, actor, serverId });
  const target = await prisma.user.findUnique({
    where: { email: normalizeEmail(toEmail) },
    select: { id: true, disabledAt: true },
  });
  if (!target || target.disabledAt)
    throw new AppError("NOT_FOUND", "No active user with that email.");
  if (target.id === server.ownerId) {
    throw new AppError("BAD_REQUEST", "The server already belongs to that user.");
  }
  await prisma.$transaction(async (tx) => {
    await tx.server.update({ where: { id: server.id }, data: { ownerId: target.id } });
    const revoked = await tx.ideToken.updateMany({
      where: { serverId: server.id, revokedAt: null },
      data: { revokedAt: now },
    });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "server.transfer",
      targetType: "server",
      targetId: server.id,
      data: { from: server.ownerId, to: target.id, revokedIdeTokens: revoked.count },
    });
  });
  return { ownerId: target.id };
}
