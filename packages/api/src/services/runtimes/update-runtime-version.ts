import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import type { RuntimeArtifact } from "./add-runtime-version";
import { checkStoredArtifactHash } from "./stored-artifact-url";
import { toRuntimeVersionView, type RuntimeVersionView } from "./runtime-view";

/**
 * Admins: changes a version's artifact, enabled or deprecated flag (omitted: unchanged).
 * Disabling the default version leaves the runtime without a default until another is chosen.
 */
export async function updateRuntimeVersion({
  prisma,
  actor,
  publicUrl,
  versionId,
  artifact = {},
  enabled,
  deprecated,
}: {
  prisma: PrismaClient;
  actor: Actor;
  /** Recognizes artifacts stored by this portal, whose URL names their hash. */
  publicUrl: string;
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
    if (artifact.artifactUrl !== undefined || artifact.sha256 !== undefined) {
      checkStoredArtifactHash({
        artifactUrl: artifact.artifactUrl ?? before.artifactUrl,
        sha256: artifact.sha256 ?? before.sha256,
        publicUrl,
      });
    }
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
