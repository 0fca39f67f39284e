import type { PrismaClient } from "@berth/db";

export interface WebhookSettings {
  url: string | null;
  /** A signing secret exists; it is only ever shown when made. */
  hasSecret: boolean;
}

export async function getWebhook({
  prisma,
  userId,
}: {
  prisma: PrismaClient;
  userId: string;
}): Promise<WebhookSettings> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { webhookUrl: true, webhookSecretEnc: true },
  });
  return { url: user.webhookUrl, hasSecret: user.webhookSecretEnc !== null };
}
