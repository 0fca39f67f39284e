import type { PrismaClient } from "@berth/db";
import { AppError } from "../../lib/app-error";
import { actorUserId, type Actor } from "../actor";
import { recordAudit } from "../audit";
import { toRuntimeView, type RuntimeView } from "./runtime-view";
import { isUniqueViolation } from "./unique-violation";

/** Admins: adds a runtime (node, python, …) or addon (code-server) to the catalog, without versions. */
export async function createRuntime({
  prisma,
  actor,
  name,
  displayName,
  kind,
  enabled,
}: {
  prisma: PrismaClient;
  actor: Actor;
  name: string;
  displayName: string;
  kind: "runtime" | "addon";
  enabled: boolean;
}): Promise<RuntimeView> {
  const taken = () => new AppError("CONFLICT", `A runtime named "${name}" already exists.`);
  try {
    return await prisma.$transaction(async (tx) => {
      if (await tx.runtime.findUnique({ where: { name }, select: { id: true } })) throw taken();
      const runtime = await tx.runtime.create({
        data: { name, displayName, kind, enabled },
        include: { versions: true },
      });
      await recordAudit(tx, {
        actorId: actorUserId(actor),
        action: "runtime.create",
        targetType: "runtime",
        targetId: runtime.id,
        data: { name, displayName, kind, enabled },
      });
      return toRuntimeView(runtime);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}
