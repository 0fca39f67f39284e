import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { createPrismaClient, type PrismaClient } from "@berth/db";
import { startEmbeddedPostgres } from "@berth/db/embedded";
import { migrateDeploy } from "@berth/db/migrate";
import { ensureBuiltinTemplates } from "@berth/api/services";
import { parsePortalEnv } from "../apps/portal/src/server/env";
import { startPortalServer, type RunningPortal } from "../apps/portal/src/server/portal-server";

/** The portal's secret in benchmarks, so a bench can mint session cookies for its browser sockets. */
export const BENCH_SECRET = "b".repeat(40);

export interface BenchPlatform {
  dir: string;
  prisma: PrismaClient;
  portal: RunningPortal;
  close(): Promise<void>;
}

/** A private Postgres (fsync off), migrated and seeded, and a portal server on a free port. */
export async function startBenchPlatform(name: string): Promise<BenchPlatform> {
  const dir = mkdtempSync(join(tmpdir(), `berth-bench-${name}-`));
  const postgres = await startEmbeddedPostgres({
    dataDir: join(dir, "pg"),
    settings: { fsync: "off" },
  });
  await migrateDeploy(postgres.url);
  const prisma = createPrismaClient(postgres.url);
  await ensureBuiltinTemplates({ prisma });
  const env = parsePortalEnv({
    DATABASE_URL: postgres.url,
    BERTH_SECRET: BENCH_SECRET,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "silent",
  });
  const portal = await startPortalServer({ env, log: pino({ level: "silent" }) });
  return {
    dir,
    prisma,
    portal,
    async close() {
      await portal.close();
      await prisma.$disconnect();
      await postgres.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
