import type { Logger } from "pino";
import { AgentToPortal, handle, rooms } from "@berth/protocol";
import type { StatsRecorder } from "../stats/stats-recorder";
import { InOrder } from "./in-order";
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
  // Each batch waits for the node's servers to be looked up; a page's chart must still get the
  // batches in the order the agent sent them.
  const batches = new InOrder();
  handle(
    socket,
    AgentToPortal,
    "server:stats",
    ({ samples }) =>
      batches.run(nodeId, async () => {
        const { byServer, foreign } = await stats.accept(nodeId, samples);
        if (foreign > 0) log.warn({ foreign }, "stats for servers not on this node ignored");
        for (const [serverId, list] of byServer) {
          browsers.to(rooms.server(serverId)).emit("server:stats", { serverId, samples: list });
        }
      }),
    log,
  );
}
