import type { PrismaClient } from "@berth/db";
import { toNodeView, type NodeView } from "./node-view";

export async function listNodes({ prisma }: { prisma: PrismaClient }): Promise<NodeView[]> {
  const nodes = await prisma.node.findMany({ orderBy: [{ revokedAt: "asc" }, { name: "asc" }] });
  return nodes.map(toNodeView);
}
