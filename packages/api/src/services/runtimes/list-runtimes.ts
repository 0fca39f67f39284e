import type { PrismaClient } from "@berth/db";
import { toRuntimeView, type RuntimeView } from "./runtime-view";

/** Admins: every runtime and addon with all of its versions, enabled or not. */
export async function listRuntimes({ prisma }: { prisma: PrismaClient }): Promise<RuntimeView[]> {
  const rows = await prisma.runtime.findMany({
    include: { versions: true },
    orderBy: [{ kind: "desc" }, { displayName: "asc" }],
  });
  return rows.map(toRuntimeView);
}
