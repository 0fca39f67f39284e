import { z } from "zod";
import { defineCatalog, type EventMap } from "./catalog";

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
});

/** Browser → portal. Later issues add console input, subscriptions, … */
export const BrowserToPortal = defineCatalog({});

export type PortalToBrowserEvents = EventMap<typeof PortalToBrowser>;
export type BrowserToPortalEvents = EventMap<typeof BrowserToPortal>;

/** Rooms are named here so both sides spell them the same way. */
export const rooms = {
  node: (nodeId: string) => `node:${nodeId}`,
  server: (serverId: string) => `server:${serverId}`,
  nodeStatus: "admin:nodes",
} as const;
