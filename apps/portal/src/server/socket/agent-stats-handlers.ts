import type { Logger } from "pino";
import { AgentToPortal, handle, rooms } from "@berth/protocol";
import type { StatsRecorder } from "../stats/stats-recorder";
import type { AgentSocket, BrowserNamespace } from "./types";

/** `server:stats` from an agent: each server's samples to its room, and into the history. */
export function attachAgentStatsHandlers({
  socket,
  nodeId,
  browsers,
  stats,
  log,
}: {
  socket: AgentSocket;
  nodeId: string;
  browsers: BrowserNamespace;
  stats: StatsRecorder;
  log: Logger;
}): void {
  handle(
    socket,
    AgentToPortal,
    "server:stats",
    async ({ samples }) => {
      const { byServer, foreign } = await stats.accept(nodeId, samples);
      if (foreign > 0) log.warn({ foreign }, "stats for servers not on this node ignored");
      for (const [serverId, list] of byServer) {
        browsers.to(rooms.server(serverId)).emit("server:stats", { serverId, samples: list });
      }
    },
    log,
  );
}
