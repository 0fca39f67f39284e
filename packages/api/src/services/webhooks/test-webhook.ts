import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import type { SecretBox } from "../../lib/secret-box";
import { deliverWebhook, type DeliveryOptions } from "./deliver-webhook";

/** A signed `webhook.test` event, sent once, so the user sees at once whether the receiver works. */
export async function testWebhook({
  prisma,
  webhookSecrets,
  userId,
  options = { timeoutMs: 5_000, retryDelaysMs: [] },
}: {
  prisma: PrismaClient;
  webhookSecrets: SecretBox;
  userId: string;
  options?: DeliveryOptions;
}): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { webhookUrl: true, webhookSecretEnc: true },
  });
  if (!user.webhookUrl || !user.webhookSecretEnc) {
    throw new AppError("BAD_REQUEST", "Set a webhook URL first.");
  }
  let secret: string;
  try {
    secret = webhookSecrets.open(user.webhookSecretEnc, userId);
  } catch {
    throw new AppError("CONFLICT", "The webhook secret can no longer be read: rotate it.");
  }
  const { ok, status, error } = await deliverWebhook({
    url: user.webhookUrl,
    secret,
    event: "webhook.test",
    payload: { type: "webhook.test", sentAt: new Date().toISOString() },
    options,
  });
  return { ok, status, error };
}
