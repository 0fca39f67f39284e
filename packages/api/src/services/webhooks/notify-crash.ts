import type { PrismaClient } from "@berth/db";
import type { Logger } from "pino";
import type { SecretBox } from "../../lib/secret-box";
import type { CrashView } from "../crashes/crash-view";
import type { CrashedServer } from "../crashes/record-crash";
import { deliverWebhook, type DeliveryOptions } from "./deliver-webhook";
import { webhookOrigin } from "./webhook-url";

/** The JSON a crash webhook receives. */
export function crashWebhookPayload({
  publicUrl,
  server,
  crash,
  restartAt,
}: {
  publicUrl: string;
  server: Pick<CrashedServer, "id" | "name">;
  crash: CrashView;
  restartAt: number | null;
}) {
  return {
    type: "server.crash" as const,
    server: { id: server.id, name: server.name, url: `${publicUrl}/servers/${server.id}` },
    crash: {
      id: crash.id,
      at: crash.occurredAt.toISOString(),
      class: crash.class,
      exitCode: crash.exitCode,
      signal: crash.signal,
      oomKilled: crash.oomKilled,
      uptimeMs: crash.uptimeMs,
      matchedRule: crash.matchedRule,
      subject: crash.subject,
      suggestion: crash.suggestion,
      crashLoop: crash.crashLoop,
      restartAt: restartAt === null ? null : new Date(restartAt).toISOString(),
      logTail: crash.logTail,
    },
  };
}

/**
 * Sends a recorded crash to its owner's webhook, when they set one. Runs after the agent has its
 * ack; failures are logged (origin only, never the URL's path or the secret) and not retried
 * beyond the delivery's own attempts.
 */
export async function notifyCrashWebhook({
  prisma,
  webhookSecrets,
  publicUrl,
  log,
  server,
  crash,
  restartAt,
  options,
  signal,
}: {
  prisma: PrismaClient;
  webhookSecrets: SecretBox;
  publicUrl: string;
  log: Logger;
  server: CrashedServer;
  crash: CrashView;
  restartAt: number | null;
  options?: DeliveryOptions;
  signal?: AbortSignal;
}): Promise<void> {
  const owner = await prisma.user.findUnique({
    where: { id: server.ownerId },
    select: { webhookUrl: true, webhookSecretEnc: true },
  });
  if (!owner?.webhookUrl || !owner.webhookSecretEnc) return;
  const bindings = { userId: server.ownerId, serverId: server.id, crashId: crash.id };
  let secret: string;
  try {
    secret = webhookSecrets.open(owner.webhookSecretEnc, server.ownerId);
  } catch {
    log.warn(bindings, "webhook secret cannot be decrypted (was BERTH_SECRET changed?)");
    return;
  }
  const delivery = await deliverWebhook({
    url: owner.webhookUrl,
    secret,
    event: "server.crash",
    payload: crashWebhookPayload({ publicUrl, server, crash, restartAt }),
    options,
    signal,
  });
  const outcome = { ...bindings, origin: webhookOrigin(owner.webhookUrl), ...delivery };
  if (delivery.ok) log.info(outcome, "crash webhook delivered");
  else log.warn(outcome, "crash webhook failed");
}
