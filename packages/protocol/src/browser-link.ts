import { z } from "zod";
import { defineCatalog, type EventMap } from "./catalog";
import {
  ConsoleInput,
  ConsoleJoin,
  ConsoleJoined,
  ConsoleOutput,
  ConsoleRef,
  ConsoleResize,
  ServerTerminals,
  TerminalCreate,
  TerminalInfo,
  TerminalRef,
  TerminalRename,
} from "./consoles";
import { CodeServerEvent } from "./code-server";
import { ServerCrashEvent, StatsSample } from "./crashes";
import { ServerProgressEvent, ServerStateEvent } from "./servers";

export const NodeStatus = z.enum(["online", "offline"]);

export const NodeStatusEvent = z.object({
  id: z.string(),
  name: z.string(),
  status: NodeStatus,
  lastSeenAt: z.iso.datetime().nullable(),
  agentVersion: z.string().nullable(),
  drivers: z.array(z.string()),
});
export type NodeStatusEvent = z.infer<typeof NodeStatusEvent>;

/** Portal → browser. */
export const PortalToBrowser = defineCatalog({
  "node:status": { payload: NodeStatusEvent },
  /** To room server:<id> (owner and admins who subscribed). */
  "server:state": { payload: ServerStateEvent },
  "server:progress": { payload: ServerProgressEvent },
  /** To rooms server:<id> and user:<owner id>: a crash as recorded (`id` is the CrashEvent row). */
  "server:crash": { payload: ServerCrashEvent.extend({ id: z.string() }) },
  /** To room server:<id>: the server's newest usage samples. */
  "server:stats": { payload: z.object({ serverId: z.string(), samples: z.array(StatsSample) }) },
  /** A console's output for one joined browser: scrollback first, then live frames, in order. */
  "console:data": { payload: ConsoleOutput },
  /** To room server:<id>: the server's terminal tabs changed. */
  "terminal:update": { payload: ServerTerminals },
  /** To room server:<id>: the dev server's code-server changed state. */
  "server:code-server": { payload: CodeServerEvent },
});

/** Browser → portal. */
export const BrowserToPortal = defineCatalog({
  /** Join room server:<id> after an ownership check; the ack says whether it was allowed. */
  "server:subscribe": {
    payload: z.object({ serverId: z.string().min(1).max(64) }),
    ack: z.object({ serverId: z.string() }),
  },
  "server:unsubscribe": { payload: z.object({ serverId: z.string().min(1).max(64) }) },
  /** Join a console (owner or admin); its output then arrives as console:data. */
  "console:join": { payload: ConsoleJoin, ack: ConsoleJoined },
  "console:leave": { payload: ConsoleRef },
  /** Keystrokes or a command line; rate-limited per socket, refused past a size cap. */
  "console:input": { payload: ConsoleInput, ack: z.object({}) },
  "console:resize": { payload: ConsoleResize },
  "terminal:list": {
    payload: z.object({ serverId: z.string().min(1).max(64) }),
    ack: ServerTerminals,
  },
  "terminal:create": { payload: TerminalCreate, ack: TerminalInfo },
  "terminal:rename": { payload: TerminalRename, ack: TerminalInfo },
  "terminal:close": { payload: TerminalRef, ack: z.object({ closed: z.boolean() }) },
});

export type PortalToBrowserEvents = EventMap<typeof PortalToBrowser>;
export type BrowserToPortalEvents = EventMap<typeof BrowserToPortal>;

/** Rooms are named here so both sides spell them the same way. */
export const rooms = {
  node: (nodeId: string) => `node:${nodeId}`,
  server: (serverId: string) => `server:${serverId}`,
  /** Every browser socket of one user (joined at connect): crash toasts anywhere in the app. */
  user: (userId: string) => `user:${userId}`,
  /** Browsers viewing one console (the server's own, or a terminal). */
  console: (serverId: string, terminalId: string | null) =>
    terminalId ? `console:${serverId}:${terminalId}` : `console:${serverId}`,
  nodeStatus: "admin:nodes",
} as const;
