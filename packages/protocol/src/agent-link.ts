import { z } from "zod";
import { defineCatalog, type EventMap } from "./catalog";
import {
  ConsoleInput,
  ConsoleOpen,
  ConsoleOutput,
  ConsoleRef,
  ConsoleReplay,
  ConsoleResize,
  ServerTerminals,
  TerminalCreate,
  TerminalInfo,
  TerminalRef,
  TerminalRename,
} from "./consoles";
import { CodeServerEvent, CodeServerRequest, CodeServerStatus } from "./code-server";
import { ServerCrashEvent, ServerStatsEvent } from "./crashes";
import { Result } from "./errors";
import { FileRequest, FileResult, ModActionRequest, ModListing } from "./files";
import { NodeGrantKey } from "./ide";
import {
  Inventory,
  PowerRequest,
  ProvisionRequest,
  ServerProgressEvent,
  ServerRef,
  ServerSnapshot,
  ServerStateEvent,
} from "./servers";

/** Socket.IO handshake `auth` an agent presents on the /agent namespace. */
export const AgentAuth = z.object({
  nodeId: z.string().min(1).max(64),
  credential: z.string().min(32).max(256),
  protocolVersion: z.number().int(),
});
export type AgentAuth = z.infer<typeof AgentAuth>;

export const DriverName = z.enum(["docker", "process"]);
export type DriverName = z.infer<typeof DriverName>;

export const AgentHello = z.object({
  agentVersion: z.string().min(1).max(64),
  capabilities: z.object({ docker: z.boolean(), pty: z.boolean() }),
  /** Drivers in order of preference; the first is the node's default. */
  drivers: z.array(DriverName).max(4),
  capacity: z.object({
    memoryMb: z.number().int().nonnegative(),
    cpuCores: z.number().int().nonnegative(),
    diskMb: z.number().int().nonnegative(),
  }),
  /** Base URL of the agent's HTTP listener as the portal should reach it, when it runs one. */
  address: z.url().max(512).nullable(),
});
export type AgentHello = z.infer<typeof AgentHello>;

export const Heartbeat = z.object({ sentAt: z.number().int() });
export type Heartbeat = z.infer<typeof Heartbeat>;

export const NodeAccepted = z.object({
  nodeId: z.string(),
  name: z.string(),
  /** Verifies the portal's grants at the agent's HTTP listener (derived per node, never stored). */
  grantKey: NodeGrantKey.optional(),
});
export const Pong = z.object({ receivedAt: z.number().int() });

/** Agent → portal. */
export const AgentToPortal = defineCatalog({
  "agent:hello": { payload: AgentHello, ack: NodeAccepted },
  "agent:heartbeat": { payload: Heartbeat, ack: Pong },
  "agent:inventory": { payload: Inventory, ack: z.object({ reconciled: z.number().int() }) },
  "server:state": { payload: ServerStateEvent },
  "server:progress": { payload: ServerProgressEvent },
  /** Live output of a console the portal opened; the next batch waits for the ack (flow control). */
  "console:output": { payload: ConsoleOutput, ack: z.object({}) },
  /** A crash, classified; the agent resends it (same crashId) until the portal acks it. */
  "server:crash": { payload: ServerCrashEvent, ack: z.object({ recorded: z.boolean() }) },
  /** Every 2 s: usage of each running server. */
  "server:stats": { payload: ServerStatsEvent },
  /** A server's terminals changed (created, renamed, exited, closed). */
  "terminal:update": { payload: ServerTerminals },
  /** A dev server's code-server changed state (the inventory carries the current one too). */
  "server:code-server": { payload: CodeServerEvent },
});

/** Portal → agent. */
export const PortalToAgent = defineCatalog({
  "node:ping": { payload: z.object({ sentAt: z.number().int() }), ack: Pong },
  /** Sent to the older link when another agent connects with the same node credential. */
  "agent:replaced": { payload: z.object({ message: z.string() }) },
  /** Create (idempotent per server id) and optionally start; progress arrives as server:progress. */
  "server:provision": { payload: ProvisionRequest, ack: ServerSnapshot },
  "server:power": { payload: PowerRequest, ack: ServerSnapshot },
  "server:delete": { payload: ServerRef, ack: z.object({ deleted: z.boolean() }) },
  /** Stream this console to the portal from now on (idempotent) and replay its scrollback. */
  "console:open": { payload: ConsoleOpen, ack: ConsoleReplay },
  /** The portal has no viewer of this console left. */
  "console:close": { payload: ConsoleRef },
  "console:input": { payload: ConsoleInput, ack: z.object({}) },
  "console:resize": { payload: ConsoleResize },
  "terminal:list": { payload: ServerRef, ack: ServerTerminals },
  "terminal:create": { payload: TerminalCreate, ack: TerminalInfo },
  "terminal:rename": { payload: TerminalRename, ack: TerminalInfo },
  "terminal:close": { payload: TerminalRef, ack: z.object({ closed: z.boolean() }) },
  /** Start, stop or restart a dev server's code-server; answers once it is running or stopped. */
  "server:code-server": { payload: CodeServerRequest, ack: CodeServerStatus },
  /** One operation on a server's data folder (control only; bulk bytes go over HTTP). */
  "files:op": { payload: FileRequest, ack: FileResult },
  /** The jars in a game server's mods/ and plugins/, with their metadata. */
  "mods:list": { payload: ServerRef, ack: ModListing },
  /** Enable, disable or remove one jar; answers with the listing after the change. */
  "mods:action": { payload: ModActionRequest, ack: ModListing },
});

export type AgentToPortalEvents = EventMap<typeof AgentToPortal>;
export type PortalToAgentEvents = EventMap<typeof PortalToAgent>;

/** Acks are re-validated by the caller with these, so a misbehaving peer cannot smuggle shapes in. */
export const AgentAckSchemas = {
  "node:ping": Result(Pong),
  "server:provision": Result(ServerSnapshot),
  "server:power": Result(ServerSnapshot),
  "server:delete": Result(z.object({ deleted: z.boolean() })),
  "console:open": Result(ConsoleReplay),
  "console:input": Result(z.object({})),
  "terminal:list": Result(ServerTerminals),
  "terminal:create": Result(TerminalInfo),
  "terminal:rename": Result(TerminalInfo),
  "terminal:close": Result(z.object({ closed: z.boolean() })),
  "server:code-server": Result(CodeServerStatus),
  "files:op": Result(FileResult),
  "mods:list": Result(ModListing),
  "mods:action": Result(ModListing),
} as const;
