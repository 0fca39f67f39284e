import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { checkStoredArtifactHash } from "./stored-artifact-url";
import { toRuntimeVersionView, type RuntimeVersionView } from "./runtime-view";
import { isUniqueViolation } from "./unique-violation";

export interface RuntimeArtifact {
  /** An http(s) URL the agent downloads the .tar.gz from. */
  artifactUrl: string;
  /** 64 lowercase hex characters. */
  sha256: string;
  sizeBytes: number;
  /** The folder inside the extracted artifact that goes on PATH. */
  binPath: string;
}

/**
 * Admins: pins a version of a runtime to an artifact. The runtime's first version, or one added
 * with `makeDefault`, becomes its default (a disabled one never does).
 */
export async function addRuntimeVersion({
  prisma,
  actor,
  publicUrl,
  runtimeId,
  version,
  artifact,
  enabled,
  deprecated,
  makeDefault,
}: {
  prisma: PrismaClient;
  actor: Actor;
  /** Recognizes artifacts stored by this portal, whose URL names their hash. */
  publicUrl: string;
  runtimeId: string;
  version: string;
  artifact: RuntimeArtifact;
  enabled: boolean;
  deprecated: boolean;
  makeDefault: boolean;
}): Promise<RuntimeVersionView> {
  checkStoredArtifactHash({ ...artifact, publicUrl });
  let runtimeName = "";
  const taken = () =>
    new AppError("CONFLICT", `Version ${version} of ${runtimeName} already exists.`);
  try {
    return await prisma.$transaction(async (tx) => {
      const runtime = await tx.runtime.findUnique({ where: { id: runtimeId } });
      if (!runtime) throw new AppError("NOT_FOUND", "No such runtime.");
      runtimeName = runtime.name;
      const existing = await tx.runtimeVersion.findUnique({
        where: { runtimeId_version: { runtimeId, version } },
        select: { id: true },
      });
      if (existing) throw taken();
      if (makeDefault && !enabled) {
        throw new AppError("BAD_REQUEST", "A disabled version cannot be the default.");
      }
      const hasDefault = await tx.runtimeVersion.count({ where: { runtimeId, isDefault: true } });
      const isDefault = enabled && (makeDefault || hasDefault === 0);
      if (isDefault) {
        await tx.runtimeVersion.updateMany({
          where: { runtimeId, isDefault: true },
          data: { isDefault: false },
        });
      }
      const created = await tx.runtimeVersion.create({
        data: {
          runtimeId,
          version,
          artifactUrl: artifact.artifactUrl,
          sha256: artifact.sha256,
          sizeBytes: BigInt(artifact.sizeBytes),
          binPath: artifact.binPath,
          enabled,
          deprecated,
          isDefault,
        },
      });
      await recordAudit(tx, {
        actorId: actorUserId(actor),
        action: "runtime.version.add",
        targetType: "runtimeVersion",
        targetId: created.id,
        data: { runtime: runtime.name, version, ...artifact, enabled, deprecated, isDefault },
      });
      return toRuntimeVersionView(created);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}
