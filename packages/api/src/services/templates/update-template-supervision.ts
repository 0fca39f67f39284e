import { Prisma, type PrismaClient } from "@berth/db";
import type { CrashRule, LivenessCheck } from "@berth/protocol";
import { AppError } from "../../lib/app-error";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";

/**
 * Replaces a template's crash rules and/or liveness check (admins). Servers made from it get the
 * change with their next start (their spec is marked pending); running servers keep what they
 * were started with.
 */
export async function updateTemplateSupervision({
  prisma,
  actor,
  templateId,
  crashRules,
  liveness,
}: {
  prisma: PrismaClient;
  actor: Actor;
  templateId: string;
  /** Validated with CrashRulesInput; omitted: unchanged. */
  crashRules?: CrashRule[];
  /** Validated with LivenessInput; null removes the check, omitted: unchanged. */
  liveness?: LivenessCheck | null;
}): Promise<{
  id: string;
  crashRules: CrashRule[];
  liveness: LivenessCheck | null;
  serversPending: number;
}> {
  return prisma.$transaction(async (tx) => {
    const template = await tx.template.findUnique({ where: { id: templateId } });
    if (!template) throw new AppError("NOT_FOUND", "No such template.");
    const updated = await tx.template.update({
      where: { id: templateId },
      data: {
        ...(crashRules !== undefined ? { crashRules } : {}),
        // Prisma writes SQL NULL for a JSON column only through its DbNull marker.
        ...(liveness !== undefined ? { liveness: liveness ?? Prisma.DbNull } : {}),
      },
    });
    const { count } = await tx.server.updateMany({
      where: { templateId },
      data: { specPendingSince: new Date() },
    });
    await recordAudit(tx, {
      actorId: actorUserId(actor),
      action: "template.update",
      targetType: "template",
      targetId: templateId,
      data: {
        ...(crashRules !== undefined ? { crashRuleIds: crashRules.map((r) => r.id) } : {}),
        ...(liveness !== undefined ? { liveness } : {}),
      },
    });
    return {
      id: updated.id,
      crashRules: (crashRules ?? updated.crashRules) as CrashRule[],
      liveness: (liveness === undefined ? updated.liveness : liveness) as LivenessCheck | null,
      serversPending: count,
    };
  });
}
