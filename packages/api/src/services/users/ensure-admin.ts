import type { PrismaClient } from "@berth/db";
import { newSecret } from "../../lib/secrets";
import { recordAudit } from "../audit";
import { createUser } from "./create-user";

export type EnsureAdminResult =
  { created: false } | { created: true; email: string; password: string; generated: boolean };

/**
 * Seeds the first administrator when there is none. A generated password is returned once so the
 * caller can show it; it is stored only as a hash.
 */
export async function ensureAdmin({
  prisma,
  email,
  password,
}: {
  prisma: PrismaClient;
  email: string;
  password?: string;
}): Promise<EnsureAdminResult> {
  return prisma.$transaction(async (tx) => {
    // Serializes concurrent first starts: the second waits, then sees the admin.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(4242001)`;
    if (await tx.user.findFirst({ where: { role: "admin" }, select: { id: true } })) {
      return { created: false };
    }
    const chosen = password ?? newSecret(15);
    const admin = await createUser({
      db: tx,
      email,
      password: chosen,
      name: "Administrator",
      role: "admin",
    });
    await recordAudit(tx, {
      actorId: null,
      action: "user.seed_admin",
      targetType: "user",
      targetId: admin.id,
    });
    return {
      created: true,
      email: admin.email,
      password: chosen,
      generated: password === undefined,
    };
  });
}
