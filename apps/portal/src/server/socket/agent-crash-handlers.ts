import type { Logger } from "pino";
import type { PrismaClient } from "@berth/db";
import {
  notifyCrashWebhook,
  recordCrash,
  type DeliveryOptions,
  type SecretBox,
} from "@berth/api/services";
import { AgentToPortal, handle, ok, rooms } from "@berth/protocol";
import type { PendingWork } from "../pending-work";
import type { AgentSocket, BrowserNamespace } from "./types";

export interface CrashNotifications {
  webhookSecrets: SecretBox;
  publicUrl: string;
  /** Aborted at shutdown: webhook deliveries under way stop waiting. */
  signal: AbortSignal;
  delivery?: DeliveryOptions;
}

/**
 * `server:crash` from an agent: recorded once per crashId (a resent report is acked again as
 * recorded), then shown in the server's room and to every browser of its owner, and sent to the
 * owner's webhook after the ack, so a slow receiver never holds up the agent.
 */
export function attachAgentCrashHandlers({
  socket,
  nodeId,
  prisma,
  browsers,
  log,
  background,
  notifications,
}: {
  socket: AgentSocket;
  nodeId: string;
  prisma: PrismaClient;
  browsers: BrowserNamespace;
  log: Logger;
  background: PendingWork;
  notifications: CrashNotifications;
}): void {
  handle(
    socket,
    AgentToPortal,
    "server:crash",
    async (event) => {
      const result = await recordCrash({ prisma, nodeId, event });
      if (result.outcome === "not_on_node") {
        log.warn({ serverId: event.serverId }, "crash for a server not on this node ignored");
        return ok({ recorded: false });
      }
      if (result.outcome === "duplicate") return ok({ recorded: true });

      const { server, crash } = result;
      log.info(
        { serverId: server.id, crashId: crash.id, class: crash.class, crashLoop: crash.crashLoop },
        "crash recorded",
      );
      // One emit to both rooms: a browser in both receives it once.
      browsers
        .to([rooms.server(server.id), rooms.user(server.ownerId)])
        .emit("server:crash", { ...event, id: crash.id });
      void background.track(
        notifyCrashWebhook({
          prisma,
          webhookSecrets: notifications.webhookSecrets,
          publicUrl: notifications.publicUrl,
          log,
          server,
          crash,
          restartAt: event.restartAt,
          options: notifications.delivery,
          signal: notifications.signal,
        }).catch((err: unknown) => log.error({ err, serverId: server.id }, "crash webhook failed")),
      );
      return ok({ recorded: true });
    },
    log,
  );
}
