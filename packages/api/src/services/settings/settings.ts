import { z } from "zod";
import type { Prisma, PrismaClient } from "@berth/db";

/** Run-time settings an admin can change; each has a default so an empty table is a valid state. */
export const Settings = z.object({
  signupEnabled: z.boolean().default(true),
});
export type Settings = z.infer<typeof Settings>;

const KEY = "portal";

export async function getSettings({ prisma }: { prisma: PrismaClient }): Promise<Settings> {
  const row = await prisma.setting.findUnique({ where: { key: KEY } });
  const parsed = Settings.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : Settings.parse({});
}

export async function updateSettings({
  tx,
  patch,
}: {
  tx: Prisma.TransactionClient;
  patch: Partial<Settings>;
}): Promise<Settings> {
  const row = await tx.setting.findUnique({ where: { key: KEY } });
  const next = Settings.parse({ ...(Settings.safeParse(row?.value ?? {}).data ?? {}), ...patch });
  await tx.setting.upsert({
    where: { key: KEY },
    create: { key: KEY, value: next },
    update: { value: next },
  });
  return next;
}
