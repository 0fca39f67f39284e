import type { PrismaClient } from "@berth/db";
import { recordAudit } from "../audit";

/** Removes the webhook and its secret: crash events are no longer sent. */
export async function clearWebhook({
  prisma,
  userId,
}: {
  prisma: PrismaClient;
  userId: string;
}): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: userId },
      data: { webhookUrl: null, webhookSecretEnc: null },
    });
    await recordAudit(tx, {
      actorId: userId,
      action: "user.webhook.clear",
      targetType: "user",
      targetId: userId,
    });
  });
}
