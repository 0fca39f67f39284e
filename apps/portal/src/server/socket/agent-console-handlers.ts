import type { Logger } from "pino";
import type { PrismaClient } from "@berth/db";
import { AgentToPortal, handle, ok, rooms } from "@berth/protocol";
import type { ConsoleRelays } from "../console/console-relays";
import type { AgentSocket, BrowserNamespace } from "./types";

/** Console output and terminal changes from one agent link. */
export function attachAgentConsoleHandlers({
  socket,
  nodeId,
  prisma,
  browsers,
  relays,
  log,
}: {
  socket: AgentSocket;
  nodeId: string;
  prisma: PrismaClient;
  browsers: BrowserNamespace;
  relays: ConsoleRelays;
  log: Logger;
}): void {
  // The agent sends its next batch only after this ack, and it comes as soon as the batch is queued
  // for the browsers: their speed never holds up the link.
  handle(
    socket,
    AgentToPortal,
    "console:output",
    (output) => {
      relays.agentOutput(nodeId, output);
      return ok({});
    },
    log,
  );

  handle(
    socket,
    AgentToPortal,
    "terminal:update",
    async (update) => {
      const server = await prisma.server.findUnique({
        where: { id: update.serverId },
        select: { nodeId: true },
      });
      if (server?.nodeId !== nodeId) {
        log.warn({ serverId: update.serverId }, "terminals of a server not on this node ignored");
        return;
      }
      relays.terminalsChanged(update.serverId, new Set(update.terminals.map((t) => t.terminalId)));
      browsers.to(rooms.server(update.serverId)).emit("terminal:update", update);
    },
    log,
  );
}
