import type { Node } from "@berth/db";

/** What the portal shows of a node; never the credential hash. */
export interface NodeView {
  id: string;
  name: string;
  status: "online" | "offline";
  lastSeenAt: Date | null;
  agentVersion: string | null;
  drivers: string[];
  memoryMb: number;
  cpuCores: number;
  diskMb: number;
  enrolledAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export const toNodeView = (node: Node): NodeView => ({
  id: node.id,
  name: node.name,
  status: node.status,
  lastSeenAt: node.lastSeenAt,
  agentVersion: node.agentVersion,
  drivers: node.drivers,
  memoryMb: node.memoryMb,
  cpuCores: node.cpuCores,
  diskMb: node.diskMb,
  enrolledAt: node.enrolledAt,
  revokedAt: node.revokedAt,
  createdAt: node.createdAt,
});
