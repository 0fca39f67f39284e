import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { toRuntimeView, type RuntimeView } from "./runtime-view";

/**
 * Admins: changes a runtime's display name, kind or enabled flag (omitted: unchanged). A disabled
 * runtime leaves the catalog; servers already using it keep their version.
 */
export async function updateRuntime({
  prisma,
  actor,
  runtimeId,
  displayName,
  kind,
  enabled,
}: {
  prisma: PrismaClient;
  actor: Actor;
  runtimeId: string;
  displayName?: string;
  kind?: "runtime" | "addon";
  enabled?: boolean;
}): Promise<RuntimeView> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.runtime.findUnique({ where: { id: runtimeId } });
    if (!before) throw new AppError("NOT_FOUND", "No such runtime.");
    const changes = { displayName, kind, enabled };
    const runtime = await tx.runtime.update({
      where: { id: runtimeId },
      data: changes,
      include: { versions: true },
    });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "runtime.update",
      targetType: "runtime",
      targetId: runtimeId,
      data: { name: before.name, ...changes },
    });
    return toRuntimeView(runtime);
  });
}
