import type { Logger } from "pino";
import type { PrismaClient } from "@berth/db";
import type { AgentCommands, NodeEvents, NodeGrants, ServerEvents } from "@berth/api";
import {
  authenticateNode,
  isAppError,
  markNodeOffline,
  markNodeOnline,
  markNodeSeen,
  reconcileNode,
  recordCodeServerStatus,
  recordServerProgress,
  recordServerState,
} from "@berth/api/services";
import {
  AgentAuth,
  AgentToPortal,
  PROTOCOL_VERSION,
  handle,
  ok,
  rooms,
  type ErrorCode,
} from "@berth/protocol";
import type { ConsoleRelays } from "../console/console-relays";
import type { PendingWork } from "../pending-work";
import type { StatsRecorder } from "../stats/stats-recorder";
import { attachAgentConsoleHandlers } from "./agent-console-handlers";
import { attachAgentCrashHandlers, type CrashNotifications } from "./agent-crash-handlers";
import { attachAgentStatsHandlers } from "./agent-stats-handlers";
import { InOrder } from "./in-order";
import type { AgentNamespace, BrowserNamespace } from "./types";

/** An error the agent receives as `connect_error`, with a code it can act on (stop vs retry). */
function refusal(code: ErrorCode, message: string): Error {
  return Object.assign(new Error(message), { data: { code } });
}

export function attachAgentNamespace({
  agents,
  browsers,
  prisma,
  log,
  events,
  serverEvents,
  commands,
  consoles,
  background,
  stats,
  notifications,
  nodeGrants,
}: {
  agents: AgentNamespace;
  browsers: BrowserNamespace;
  prisma: PrismaClient;
  log: Logger;
  events: NodeEvents;
  serverEvents: ServerEvents;
  commands: AgentCommands;
  consoles: ConsoleRelays;
  background: PendingWork;
  stats: StatsRecorder;
  /** Each agent gets its node's grant key in the hello's answer. */
  nodeGrants: NodeGrants;
  notifications: CrashNotifications;
}): void {
  agents.use(async (socket, next) => {
    const auth = AgentAuth.safeParse(socket.handshake.auth);
    if (!auth.success)
      return next(refusal("BAD_REQUEST", "Missing or malformed agent credentials."));
    if (auth.data.protocolVersion !== PROTOCOL_VERSION) {
      return next(
        refusal(
          "PROTOCOL_MISMATCH",
          `Protocol version ${auth.data.protocolVersion} is not supported; the portal speaks ${PROTOCOL_VERSION}.`,
        ),
      );
    }
    try {
      const node = await authenticateNode({
        prisma,
        nodeId: auth.data.nodeId,
        credential: auth.data.credential,
      });
      socket.data = { nodeId: node.id, nodeName: node.name };
      next();
    } catch (err) {
      if (isAppError(err)) {
        log.warn({ nodeId: auth.data.nodeId, reason: err.message }, "agent refused");
        return next(refusal(err.code, err.message));
      }
      log.error({ err }, "agent authentication failed");
      next(refusal("INTERNAL", "The portal could not check this agent's credentials."));
    }
  });

  agents.on("connection", (socket) => {
    const { nodeId } = socket.data;
    const nodeLog = log.child({ nodeId });
    /** State and progress of one server are recorded in the order the agent sent them. */
    const reports = new InOrder();
    const room = rooms.node(nodeId);
    // One live link per node: a newer connection replaces an older one (e.g. after a network split).
    // The new socket is excluded by id, not by ordering: with the Redis adapter the disconnect is
    // applied asynchronously, after the join below.
    void socket.join(room);
    const older = agents.in(room).except(socket.id);
    older.emit("agent:replaced", {
      message: "Another agent connected with this node's credential and replaced this one.",
    });
    older.disconnectSockets(true);
    nodeLog.info("agent connected");

    handle(
      socket,
      AgentToPortal,
      "agent:hello",
      async (hello) => {
        await markNodeOnline({ prisma, nodeId, hello });
        events.nodeChanged(nodeId);
        nodeLog.info({ agentVersion: hello.agentVersion, drivers: hello.drivers }, "agent hello");
        // The agent's console streams ended with its previous link; viewers are still here.
        void background.track(
          consoles
            .agentLinked(nodeId)
            .catch((err: unknown) => nodeLog.error({ err }, "reopening consoles failed")),
        );
        return ok({ nodeId, name: socket.data.nodeName, grantKey: nodeGrants.keyFor(nodeId) });
      },
      nodeLog,
    );

    handle(
      socket,
      AgentToPortal,
      "agent:heartbeat",
      async () => {
        await markNodeSeen({ prisma, nodeId });
        return ok({ receivedAt: Date.now() });
      },
      nodeLog,
    );

    handle(
      socket,
      AgentToPortal,
      "agent:inventory",
      async (inventory) => {
        const result = await reconcileNode({
          prisma,
          agents: commands,
          serverEvents,
          log: nodeLog,
          nodeId,
          inventory,
        });
        nodeLog.info({ held: inventory.servers.length, ...result }, "reconciled");
        return ok({ reconciled: inventory.servers.length + result.reprovisioned.length });
      },
      nodeLog,
    );

    handle(
      socket,
      AgentToPortal,
      "server:state",
      (event) =>
        reports.run(event.serverId, async () => {
          const outcome = await recordServerState({ prisma, nodeId, event });
          if (outcome === "applied") serverEvents.state(event);
          else if (outcome === "not_on_node") {
            nodeLog.warn(
              { serverId: event.serverId },
              "state for a server not on this node ignored",
            );
          }
        }),
      nodeLog,
    );

    handle(
      socket,
      AgentToPortal,
      "server:progress",
      (event) =>
        reports.run(event.serverId, async () => {
          if (await recordServerProgress({ prisma, nodeId, event })) serverEvents.progress(event);
          else
            nodeLog.warn(
              { serverId: event.serverId },
              "progress for a server not on this node ignored",
            );
        }),
      nodeLog,
    );

    handle(
      socket,
      AgentToPortal,
      "server:code-server",
      (event) =>
        reports.run(event.serverId, async () => {
          if (await recordCodeServerStatus({ prisma, nodeId, event })) {
            serverEvents.codeServer(event);
          }
        }),
      nodeLog,
    );

    attachAgentConsoleHandlers({
      socket,
      nodeId,
      prisma,
      browsers,
      relays: consoles,
      log: nodeLog,
    });
    attachAgentCrashHandlers({
      socket,
      nodeId,
      prisma,
      browsers,
      log: nodeLog,
      background,
      notifications,
    });
    attachAgentStatsHandlers({ socket, nodeId, browsers, stats, log: nodeLog });

    const recordDisconnect = async () => {
      try {
        // Another link for the same node may already be up (reconnect raced the old socket's close).
        const remaining = await agents.in(room).fetchSockets();
        if (remaining.length > 0) return;
        await markNodeOffline({ prisma, nodeId });
        events.nodeChanged(nodeId);
      } catch (err) {
        nodeLog.error({ err }, "mark offline failed");
      }
    };
    socket.on("disconnect", (reason) => {
      nodeLog.info({ reason }, "agent disconnected");
      void background.track(recordDisconnect());
    });
  });
}
