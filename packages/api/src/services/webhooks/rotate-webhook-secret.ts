import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import type { SecretBox } from "../../lib/secret-box";
import { recordAudit } from "../audit";
import { newWebhookSecret } from "./sign-webhook";

/** Replaces the signing secret at once and returns the new one (shown this once). */
export async function rotateWebhookSecret({
  prisma,
  webhookSecrets,
  userId,
}: {
  prisma: PrismaClient;
  webhookSecrets: SecretBox;
  userId: string;
}): Promise<{ secret: string }> {
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { webhookUrl: true },
    });
    if (!user.webhookUrl) throw new AppError("BAD_REQUEST", "Set a webhook URL first.");
    const secret = newWebhookSecret();
    await tx.user.update({
      where: { id: userId },
      data: { webhookSecretEnc: webhookSecrets.seal(secret, userId) },
    });
    await recordAudit(tx, {
      actorId: userId,
      action: "user.webhook.rotate_secret",
      targetType: "user",
      targetId: userId,
    });
    return { secret };
  });
}
