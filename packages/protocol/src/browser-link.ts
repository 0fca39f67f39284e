import { z } from "zod";
import { defineCatalog, type EventMap } from "./catalog";
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
});

/** Browser → portal. */
export const BrowserToPortal = defineCatalog({
  /** Join room server:<id> after an ownership check; the ack says whether it was allowed. */
  "server:subscribe": {
    payload: z.object({ serverId: z.string().min(1).max(64) }),
    ack: z.object({ serverId: z.string() }),
  },
  "server:unsubscribe": { payload: z.object({ serverId: z.string().min(1).max(64) }) },
});

export type PortalToBrowserEvents = EventMap<typeof PortalToBrowser>;
export type BrowserToPortalEvents = EventMap<typeof BrowserToPortal>;

/** Rooms are named here so both sides spell them the same way. */
export const rooms = {
  node: (nodeId: string) => `node:${nodeId}`,
  server: (serverId: string) => `server:${serverId}`,
  nodeStatus: "admin:nodes",
} as const;
