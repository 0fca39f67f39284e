import { io, type Socket } from "socket.io-client";
import type { Logger } from "pino";
import {
  AGENT_NAMESPACE,
  PROTOCOL_VERSION,
  AgentToPortal,
  PortalToAgent,
  handle,
  ok,
  Result,
  NodeAccepted,
  type AgentHello,
  type CodeServerAction,
  type CodeServerEvent,
  type CodeServerStatus,
  type Inventory,
  type PowerAction,
  type ServerCrashEvent,
  type ServerProgressEvent,
  type ServerSnapshot,
  type ServerSpecPayload,
  type ServerStateEvent,
  type ServerStatsEvent,
  type ServerTerminals,
  type AgentToPortalEvents,
  type PortalToAgentEvents,
} from "@berth/protocol";

import { systemClock } from "../instance/clock";
import { registerConsoleHandlers, type LinkConsoles } from "./console-handlers";
import { registerFileHandlers, type LinkFiles } from "./file-handlers";
import type { ServerMods } from "../mods/server-mods";
import { registerModHandlers } from "./mod-handlers";
import { CrashOutbox } from "./crash-outbox";
import { ConsoleWatchers } from "./console-watchers";
import { withPart } from "./with-part";

type AgentSocket = Socket<PortalToAgentEvents, AgentToPortalEvents>;

/** Refusals that retrying cannot fix; the agent stops and tells its operator why. */
const FATAL_REFUSALS = new Set(["UNAUTHORIZED", "FORBIDDEN", "PROTOCOL_MISMATCH", "BAD_REQUEST"]);

/** What the link asks of the agent's servers; every answer is already a wire Result. */
export interface LinkServers {
  provision(request: { spec: ServerSpecPayload; start: boolean }): Promise<Result<ServerSnapshot>>;
  power(serverId: string, action: PowerAction): Promise<Result<ServerSnapshot>>;
  delete(serverId: string): Promise<Result<{ deleted: boolean }>>;
  inventory(): Promise<Inventory>;
  codeServer(serverId: string, action: CodeServerAction): Promise<Result<CodeServerStatus>>;
}

const INVENTORY_ACK_MS = 10_000;
const CRASH_ACK_MS = 10_000;

export interface PortalLinkOptions {
  portalUrl: string;
  nodeId: string;
  credential: string;
  heartbeatMs: number;
  reconnect: { minDelayMs: number; maxDelayMs: number };
  describe: () => Promise<AgentHello>;
  /** The agent's servers; without them, server commands are answered with an error. */
  servers?: () => Promise<LinkServers>;
  /** The node's consoles and terminals; without them, console commands are answered with an error. */
  consoles?: () => Promise<LinkConsoles>;
  /** The servers' data folders; without them, file commands are answered with an error. */
  files?: () => Promise<LinkFiles>;
  /** The game servers' mods; without them, mod commands are answered with an error. */
  mods?: () => Promise<ServerMods>;
  /** How long a console:output batch waits for the portal's ack before the next one goes. */
  consoleAckTimeoutMs?: number;
  log: Logger;
  /** Called once when the portal refuses this agent for good (revoked, wrong credential). */
  onRefused: (reason: { code: string; message: string }) => void;
}

export interface PortalLink {
  readonly connected: boolean;
  /** The key the portal's grants are signed with (from the last hello's answer), or null. */
  readonly grantKey: string | null;
  /** Sent only while connected: the inventory at the next connect carries the state anyway. */
  sendState(event: ServerStateEvent): void;
  /** Sent only while connected. */
  sendProgress(event: ServerProgressEvent): void;
  /** Sent only while connected; the portal asks for the list when it needs it again. */
  sendTerminals(update: ServerTerminals): void;
  /** Kept (bounded) until the portal acknowledges it; sent again after a reconnect. */
  sendCrash(event: ServerCrashEvent): void;
  /** Sent only while connected: the next tick has newer numbers. */
  sendStats(event: ServerStatsEvent): void;
  /** Sent only while connected: the inventory at the next connect carries the state anyway. */
  sendCodeServer(event: CodeServerEvent): void;
  close(): void;
}

/**
 * The agent's one link to the portal. Socket.IO's manager reconnects with exponential backoff and
 * jitter (min → max delay); every (re)connect re-sends the full hello, since nothing is assumed to
 * have survived on the other side.
 */
export function connectToPortal(options: PortalLinkOptions): PortalLink {
  const { log } = options;
  const socket: AgentSocket = io(`${options.portalUrl}${AGENT_NAMESPACE}`, {
    auth: {
      nodeId: options.nodeId,
      credential: options.credential,
      protocolVersion: PROTOCOL_VERSION,
    },
    reconnectionDelay: options.reconnect.minDelayMs,
    reconnectionDelayMax: options.reconnect.maxDelayMs,
    randomizationFactor: 0.5,
    transports: ["websocket"],
  });

  let heartbeat: NodeJS.Timeout | undefined;
  let grantKey: string | null = null;
  let refusalRetry: NodeJS.Timeout | undefined;
  let refusalDelay = options.reconnect.minDelayMs;

  handle(socket, PortalToAgent, "node:ping", () => ok({ receivedAt: Date.now() }), log);

  let replaced = false;
  handle(
    socket,
    PortalToAgent,
    "agent:replaced",
    ({ message }) => {
      // Two agents with one credential would otherwise take the link from each other forever.
      replaced = true;
      log.error({ reason: message }, "replaced by another agent");
      socket.disconnect();
      options.onRefused({ code: "CONFLICT", message });
    },
    log,
  );

  const withServers = <T>(use: (servers: LinkServers) => Promise<Result<T>>) =>
    withPart(options.servers, use);
  handle(
    socket,
    PortalToAgent,
    "server:provision",
    (request) => withServers((servers) => servers.provision(request)),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "server:power",
    ({ serverId, action }) => withServers((servers) => servers.power(serverId, action)),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "server:delete",
    ({ serverId }) => withServers((servers) => servers.delete(serverId)),
    log,
  );
  handle(
    socket,
    PortalToAgent,
    "server:code-server",
    ({ serverId, action }) => withServers((servers) => servers.codeServer(serverId, action)),
    log,
  );

  const consoleAckTimeoutMs = options.consoleAckTimeoutMs ?? 10_000;
  const watchers = new ConsoleWatchers({
    send: (output) =>
      socket.connected
        ? socket.timeout(consoleAckTimeoutMs + 1_000).emitWithAck("console:output", output)
        : Promise.reject(new Error("not connected")),
    clock: systemClock,
    log: log.child({ part: "consoles" }),
    ackTimeoutMs: consoleAckTimeoutMs,
  });
  registerConsoleHandlers(socket, {
    ...(options.consoles ? { consoles: options.consoles } : {}),
    watchers,
    log,
  });
  registerFileHandlers(socket, { ...(options.files ? { files: options.files } : {}), log });
  registerModHandlers(socket, { ...(options.mods ? { mods: options.mods } : {}), log });

  const crashes = new CrashOutbox({
    send: async (event) => {
      if (!socket.connected) throw new Error("not connected");
      return Result(AgentToPortal["server:crash"].ack).parse(
        await socket.timeout(CRASH_ACK_MS).emitWithAck("server:crash", event),
      );
    },
    connected: () => socket.connected,
    clock: systemClock,
    log: log.child({ part: "crashes" }),
  });

  async function sendInventory(): Promise<void> {
    if (!options.servers) return;
    try {
      const inventory = await (await options.servers()).inventory();
      if (!socket.connected) return;
      const reply = Result(AgentToPortal["agent:inventory"].ack).parse(
        await socket.timeout(INVENTORY_ACK_MS).emitWithAck("agent:inventory", inventory),
      );
      if (!reply.ok) log.warn({ error: reply.error }, "portal rejected the inventory");
      else {
        log.info(
          { servers: inventory.servers.length, unknown: inventory.unknown.length },
          "inventory acknowledged",
        );
      }
    } catch (err) {
      log.warn({ err }, "inventory not acknowledged");
    }
  }

  socket.on("connect", async () => {
    refusalDelay = options.reconnect.minDelayMs;
    log.info("connected to portal");
    try {
      const hello = await options.describe();
      const reply = Result(NodeAccepted).parse(
        await socket.timeout(10_000).emitWithAck("agent:hello", hello),
      );
      if (!reply.ok) log.error({ error: reply.error }, "portal rejected hello");
      else {
        grantKey = reply.data.grantKey ?? null;
        log.info({ nodeName: reply.data.name }, "hello acknowledged");
      }
    } catch (err) {
      log.warn({ err }, "hello not acknowledged");
    }
    clearInterval(heartbeat);
    heartbeat = setInterval(() => {
      socket
        .timeout(options.heartbeatMs)
        .emitWithAck("agent:heartbeat", { sentAt: Date.now() })
        .catch(() => log.warn("heartbeat not acknowledged"));
    }, options.heartbeatMs);
    // Delivery is at most once: every connect re-sends everything the agent holds.
    await sendInventory();
    void crashes.flush();
  });

  socket.on("disconnect", (reason) => {
    clearInterval(heartbeat);
    // The portal opens the consoles it still needs after the next connect.
    watchers.unwatchAll();
    log.warn({ reason }, "disconnected from portal");
    // A server-side disconnect is not retried by the manager; a replaced or revoked link is checked
    // again by reconnecting, and the handshake says which.
    if (reason === "io server disconnect" && !replaced) scheduleRetry();
  });

  socket.on("connect_error", (err: Error & { data?: { code?: string } }) => {
    const code = err.data?.code;
    if (code && FATAL_REFUSALS.has(code)) {
      log.error({ code, reason: err.message }, "portal refused this agent");
      socket.disconnect();
      options.onRefused({ code, message: err.message });
      return;
    }
    log.warn({ reason: err.message }, "cannot reach portal, retrying");
    // Middleware errors (code set) are not retried by the manager on its own.
    if (code) scheduleRetry();
  });

  function scheduleRetry() {
    clearTimeout(refusalRetry);
    const jitter = 1 + (Math.random() - 0.5);
    refusalRetry = setTimeout(() => socket.connect(), refusalDelay * jitter);
    refusalDelay = Math.min(refusalDelay * 2, options.reconnect.maxDelayMs);
  }

  return {
    get connected() {
      return socket.connected;
    },
    get grantKey() {
      return grantKey;
    },
    sendState(event) {
      if (socket.connected) socket.emit("server:state", event);
    },
    sendProgress(event) {
      if (socket.connected) socket.emit("server:progress", event);
    },
    sendTerminals(update) {
      if (socket.connected) socket.emit("terminal:update", update);
    },
    sendCrash(event) {
      crashes.add(event);
    },
    sendStats(event) {
      if (socket.connected) socket.emit("server:stats", event);
    },
    sendCodeServer(event) {
      if (socket.connected) socket.emit("server:code-server", event);
    },
    close() {
      crashes.close();
      clearInterval(heartbeat);
      watchers.unwatchAll();
      clearTimeout(refusalRetry);
      socket.disconnect();
    },
  };
}
