import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { toRuntimeVersionView, type RuntimeVersionView } from "./runtime-view";

/** Admins: makes a version the one the create form preselects for its runtime. */
export async function setDefaultRuntimeVersion({
  prisma,
  actor,
  versionId,
}: {
  prisma: PrismaClient;
  actor: Actor;
  versionId: string;
}): Promise<RuntimeVersionView> {
  return prisma.$transaction(async (tx) => {
    const version = await tx.runtimeVersion.findUnique({
      where: { id: versionId },
      include: { runtime: { select: { name: true } } },
    });
    if (!version) throw new AppError("NOT_FOUND", "No such runtime version.");
    if (!version.enabled) {
      throw new AppError(
        "BAD_REQUEST",
        `Enable version ${version.version} before making it the default.`,
      );
    }
    const previous = await tx.runtimeVersion.findFirst({
      where: { runtimeId: version.runtimeId, isDefault: true },
      select: { version: true },
    });
    await tx.runtimeVersion.updateMany({
      where: { runtimeId: version.runtimeId, isDefault: true, id: { not: versionId } },
      data: { isDefault: false },
    });
    const updated = await tx.runtimeVersion.update({
      where: { id: versionId },
      data: { isDefault: true },
    });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "runtime.version.default",
      targetType: "runtimeVersion",
      targetId: versionId,
      data: {
        runtime: version.runtime.name,
        version: version.version,
        previous: previous?.version ?? null,
      },
    });
    return toRuntimeVersionView(updated);
  });
}
