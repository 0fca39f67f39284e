import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import type { RuntimeArtifact } from "./add-runtime-version";
import { toRuntimeVersionView, type RuntimeVersionView } from "./runtime-view";

/**
 * Admins: changes a version's artifact, enabled or deprecated flag (omitted: unchanged).
 * Disabling the default version leaves the runtime without a default until another is chosen.
 */
export async function updateRuntimeVersion({
  prisma,
  actor,
  versionId,
  artifact = {},
  enabled,
  deprecated,
}: {
  prisma: PrismaClient;
  actor: Actor;
  versionId: string;
  artifact?: Partial<RuntimeArtifact>;
  enabled?: boolean;
  deprecated?: boolean;
}): Promise<RuntimeVersionView> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.runtimeVersion.findUnique({
      where: { id: versionId },
      include: { runtime: { select: { name: true } } },
    });
    if (!before) throw new AppError("NOT_FOUND", "No such runtime version.");
    const updated = await tx.runtimeVersion.update({
      where: { id: versionId },
      data: {
        artifactUrl: artifact.artifactUrl,
        sha256: artifact.sha256,
        sizeBytes: artifact.sizeBytes === undefined ? undefined : BigInt(artifact.sizeBytes),
        binPath: artifact.binPath,
        enabled,
        deprecated,
        ...(enabled === false ? { isDefault: false } : {}),
      },
    });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "runtime.version.update",
      targetType: "runtimeVersion",
      targetId: versionId,
      data: {
        runtime: before.runtime.name,
        version: before.version,
        ...artifact,
        enabled,
        deprecated,
        ...(before.isDefault && !updated.isDefault ? { defaultCleared: true } : {}),
      },
    });
    return toRuntimeVersionView(updated);
  });
}
