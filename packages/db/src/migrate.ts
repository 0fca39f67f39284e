import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm";
import { migrationsDir as defaultMigrationsDir, schemaPath as defaultSchemaPath } from "./paths";
import { runPrisma } from "./prisma-cli";
import {
  canConnectToDatabase,
  createDatabase,
  UserFacingError,
} from "./schema-engine/database-commands";
import { EngineSession } from "./schema-engine/session";

export const MIGRATION_LOCK_FILE = "migration_lock.toml";

/** Reads a migrations folder the way the Prisma CLI does before handing it to the engine. */
export async function readMigrationList(
  dir: string = defaultMigrationsDir,
): Promise<MigrationList> {
  const baseDir = path.resolve(dir);
  const lockContent = await readFile(path.join(baseDir, MIGRATION_LOCK_FILE), "utf8").catch(
    () => null,
  );
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: await readFile(path.join(baseDir, name, "migration.sql"), "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        ),
      },
    })),
  );
  return {
    baseDir,
    lockfile: { path: MIGRATION_LOCK_FILE, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

export interface MigrateDeployOptions {
  /** Defaults to the repository's prisma/migrations. */
  migrationsDir?: string;
}

/**
 * Applies pending migrations (what `prisma migrate deploy` does), in process through the wasm
 * schema engine: creates the database when missing, takes the engine's advisory lock, records
 * every migration in `_prisma_migrations`. Idempotent. Returns the names it applied.
 */
export async function migrateDeploy(
  databaseUrl: string,
  options: MigrateDeployOptions = {},
): Promise<string[]> {
  await ensureDatabaseExists(databaseUrl);
  const migrationsList = await readMigrationList(options.migrationsDir);
  const session = new EngineSession({ datasource: { url: databaseUrl } });
  try {
    const { appliedMigrationNames } = (await session.call("applyMigrations", {
      migrationsList,
      filters: { externalTables: [], externalEnums: [] },
    })) as { appliedMigrationNames: string[] };
    return appliedMigrationNames;
  } finally {
    await session.close();
  }
}

async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  try {
    await canConnectToDatabase(databaseUrl);
  } catch (error) {
    if (!(error instanceof UserFacingError && error.errorCode === "P1003")) throw error;
    await createDatabase(databaseUrl).catch((createError: unknown) => {
      // P1009: created concurrently by someone else.
      if (!(createError instanceof UserFacingError && createError.errorCode === "P1009")) {
        throw createError;
      }
    });
  }
}

export interface DiffOptions {
  /**
   * A Postgres server the engine can create its temporary shadow database on (any database URL
   * on it works; nothing in that database is touched).
   */
  databaseUrl: string;
  schemaPath?: string;
  migrationsDir?: string;
}

export interface DiffResult {
  /** True when the schema differs from what the migrations produce. */
  drift: boolean;
  /** SQL that would bring the migrations to the schema (empty-migration comment when none). */
  script: string;
}

/**
 * `prisma migrate diff --from-migrations <dir> --to-schema <schema> --script --exit-code`, run by
 * the real Prisma CLI. The engine replays the migrations in a shadow database and compares the
 * result with the schema.
 */
export async function diffMigrationsToSchema(options: DiffOptions): Promise<DiffResult> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), "berth-diff-"));
  const outFile = path.join(outDir, "diff.sql");
  try {
    const result = await runPrisma(
      [
        "migrate",
        "diff",
        "--from-migrations",
        path.resolve(options.migrationsDir ?? defaultMigrationsDir),
        "--to-schema",
        path.resolve(options.schemaPath ?? defaultSchemaPath),
        "--script",
        "--exit-code",
        "--output",
        outFile,
      ],
      { capture: true, env: { DATABASE_URL: options.databaseUrl, SHADOW_DATABASE_URL: undefined } },
    );
    if (result.code !== 0 && result.code !== 2) {
      throw new Error(
        `prisma migrate diff failed (exit ${result.code}):\n${result.stdout}${result.stderr}`,
      );
    }
    const script = await readFile(outFile, "utf8").catch(() => "");
    // The CLI exits 0 without output when its engine dies without answering: never read that as
    // "no drift". A real answer is at least "-- This is an empty migration.".
    if (!script.trim()) {
      throw new Error(`prisma migrate diff produced no output:\n${result.stdout}${result.stderr}`);
    }
    return { drift: result.code === 2, script };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Throws when prisma/schema.prisma has changes no migration covers. */
export async function checkDrift(options: DiffOptions): Promise<void> {
  const { drift, script } = await diffMigrationsToSchema(options);
  if (drift) {
    throw new Error(
      `The schema differs from the migrations; run \`npm run db:migrate:new -- <name>\`:\n${script}`,
    );
  }
}
