import type { PrismaClient } from "@berth/db";
import type { Logger } from "pino";

/** Node-facing events the portal's socket layer turns into broadcasts and disconnects. */
export interface NodeEvents {
  nodeChanged(nodeId: string): void;
  nodeRevoked(nodeId: string): void;
}

/** Everything the services need from the process that hosts them, built once at start. */
export interface ApiRuntime {
  prisma: PrismaClient;
  log: Logger;
  /** The URL users and agents reach the portal at, e.g. http://localhost:3000. */
  publicUrl: string;
  events: NodeEvents;
}
