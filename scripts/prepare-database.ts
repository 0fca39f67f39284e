// Brings a database up to what this version of Berth needs: pending migrations, the first admin,
// the built-in templates. Idempotent and safe when several portals start at once. Used by
// `npm start` and, as a command, by the portal's container image before the server starts.
import { pathToFileURL } from "node:url";
import { createPrismaClient } from "@berth/db";
import { migrateDeploy } from "@berth/db/migrate";
import { ensureAdmin, ensureBuiltinTemplates } from "@berth/api/services";

export type AdminSeed = Awaited<ReturnType<typeof ensureAdmin>>;

export async function prepareDatabase({
  databaseUrl,
  adminEmail,
  adminPassword,
}: {
  databaseUrl: string;
  adminEmail: string;
  adminPassword?: string;
}): Promise<{ applied: string[]; admin: AdminSeed }> {
  const applied = await migrateDeploy(databaseUrl);
  const prisma = createPrismaClient(databaseUrl);
  try {
    const admin = await ensureAdmin({ prisma, email: adminEmail, password: adminPassword });
    await ensureBuiltinTemplates({ prisma });
    return { applied, admin };
  } finally {
    await prisma.$disconnect();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error("DATABASE_URL is required");
    process.exit(2);
  }
  const { applied, admin } = await prepareDatabase({
    databaseUrl,
    adminEmail: process.env.BERTH_ADMIN_EMAIL || "admin@berth.local",
    adminPassword: process.env.BERTH_ADMIN_PASSWORD || undefined,
  });
  console.log(applied.length ? `migrations applied: ${applied.join(", ")}` : "database up to date");
  if (admin.created) {
    const shown = admin.generated
      ? `${admin.password} (shown only once)`
      : "(BERTH_ADMIN_PASSWORD)";
    console.log(`first admin: ${admin.email} password: ${shown}`);
  }
}
