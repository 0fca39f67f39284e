import type { PrismaClient } from "@berth/db";
import type { SecretBox } from "../../lib/secret-box";
import { recordAudit } from "../audit";
import { newWebhookSecret } from "./sign-webhook";
import { webhookOrigin } from "./webhook-url";

/**
 * Sets the user's crash webhook URL. The first time, a signing secret is made and returned: this
 * is the only time it is shown (it is stored encrypted). Changing the URL keeps the secret.
 */
export async function setWebhook({
  prisma,
  webhookSecrets,
  userId,
  url,
}: {
  prisma: PrismaClient;
  webhookSecrets: SecretBox;
  userId: string;
  /** Validated with WebhookUrl. */
  url: string;
}): Promise<{ url: string; secret: string | null }> {
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { webhookSecretEnc: true },
    });
    const secret = user.webhookSecretEnc ? null : newWebhookSecret();
    await tx.user.update({
      where: { id: userId },
      data: {
        webhookUrl: url,
        ...(secret ? { webhookSecretEnc: webhookSecrets.seal(secret, userId) } : {}),
      },
    });
    await recordAudit(tx, {
      actorId: userId,
      action: "user.webhook.set",
      targetType: "user",
      targetId: userId,
      data: { origin: webhookOrigin(url), newSecret: secret !== null },
    });
    return { url, secret };
  });
}
