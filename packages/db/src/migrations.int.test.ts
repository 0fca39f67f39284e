import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  adminDatabaseUrl,
  createEmptyDatabase,
  createTestDatabase,
  type TestDatabase,
} from "../../../test/db";
import { Prisma, Role } from "./index";
import { diffMigrationsToSchema, migrateDeploy } from "./migrate";
import { migrationsDir, schemaPath } from "./paths";
import { runPrisma } from "./prisma-cli";

async function committedMigrations(): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe("schema and migrations", () => {
  test("the committed migrations produce exactly prisma/schema.prisma", async ({ annotate }) => {
    const t0 = performance.now();
    const { drift, script } = await diffMigrationsToSchema({ databaseUrl: adminDatabaseUrl() });
    await annotate(`drift check (real Prisma CLI) took ${Math.round(performance.now() - t0)} ms`);
    expect(script, "migrations are missing for these schema changes").toContain(
      "-- This is an empty migration.",
    );
    expect(drift).toBe(false);
  });

  test("the check reports drift when the schema changes without a migration", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "berth-drift-"));
    try {
      const changed = (await readFile(schemaPath, "utf8")).replace(
        /^model User \{$/m,
        "model User {\n  driftProbe String?",
      );
      expect(changed).toContain("driftProbe");
      const changedSchema = path.join(dir, "schema.prisma");
      await writeFile(changedSchema, changed);

      const { drift, script } = await diffMigrationsToSchema({
        databaseUrl: adminDatabaseUrl(),
        schemaPath: changedSchema,
      });
      expect(drift).toBe(true);
      expect(script).toContain('ALTER TABLE "User" ADD COLUMN     "driftProbe" TEXT;');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a migrated database matches the schema (introspected by the engine)", async () => {
    const db = await createTestDatabase();
    try {
      const result = await runPrisma(
        ["migrate", "diff", "--from-config-datasource", "--to-schema", schemaPath, "--exit-code"],
        { capture: true, env: { DATABASE_URL: db.url } },
      );
      expect(result.stdout + result.stderr).toContain("No difference detected.");
      expect(result.code).toBe(0);
    } finally {
      await db.drop();
    }
  });
});

describe("migrateDeploy", () => {
  test("applies every migration once and records it like prisma migrate deploy", async ({
    annotate,
  }) => {
    const db = await createEmptyDatabase();
    try {
      const expected = await committedMigrations();
      expect(expected.length).toBeGreaterThan(0);

      const t0 = performance.now();
      expect(await migrateDeploy(db.url)).toEqual(expected);
      const firstMs = performance.now() - t0;
      const t1 = performance.now();
      expect(await migrateDeploy(db.url)).toEqual([]);
      await annotate(
        `migrateDeploy: ${Math.round(firstMs)} ms first, ${Math.round(performance.now() - t1)} ms when up to date`,
      );

      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{
          migration_name: string;
          checksum: string;
          finished_at: Date | null;
          rolled_back_at: Date | null;
          applied_steps_count: number;
        }>(
          `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count
           FROM _prisma_migrations ORDER BY migration_name`,
        );
        expect(rows.map((row) => row.migration_name)).toEqual(expected);
        for (const row of rows) {
          const sql = await readFile(path.join(migrationsDir, row.migration_name, "migration.sql"));
          expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
          expect(row.finished_at).toBeInstanceOf(Date);
          expect(row.rolled_back_at).toBeNull();
          expect(row.applied_steps_count).toBe(1);
        }
      } finally {
        await client.end();
      }
    } finally {
      await db.drop();
    }
  });

  test("creates the database when it does not exist", async () => {
    const db = await createEmptyDatabase();
    await db.drop();
    try {
      expect(await migrateDeploy(db.url)).toEqual(await committedMigrations());
    } finally {
      await db.drop();
    }
  });
});

describe("createPrismaClient", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  test("CRUD round trip across relations, enums, JSON, BigInt and lists", async () => {
    const { prisma } = db;
    const user = await prisma.user.create({
      data: { email: "ada@example.test", passwordHash: "x", role: Role.admin },
    });
    expect(user.role).toBe("admin");
    expect(user.createdAt).toBeInstanceOf(Date);

    const node = await prisma.node.create({
      data: { name: "node-1", drivers: ["docker", "process"], memoryMb: 4096 },
    });
    expect(node.status).toBe("offline");
    expect(node.drivers).toEqual(["docker", "process"]);

    const runtime = await prisma.runtime.create({
      data: {
        name: "node",
        displayName: "Node.js",
        versions: {
          create: {
            version: "20.19.0",
            artifactUrl: "file:///dev/null",
            sha256: "0".repeat(64),
            sizeBytes: 5_000_000_000n,
          },
        },
      },
      include: { versions: true },
    });
    // BigInt columns come back as bigint, not number.
    expect(runtime.versions[0]?.sizeBytes).toBe(5_000_000_000n);

    const server = await prisma.server.create({
      data: {
        name: "survival",
        kind: "game",
        owner: { connect: { id: user.id } },
        node: { connect: { id: node.id } },
        ports: [{ name: "game", hostPort: 25565, containerPort: 25565, protocol: "tcp" }],
      },
    });
    expect(server.ports).toEqual([
      { name: "game", hostPort: 25565, containerPort: 25565, protocol: "tcp" },
    ]);

    const updated = await prisma.server.update({
      where: { id: server.id },
      data: { desiredState: "running" },
      include: { owner: true, node: true },
    });
    expect(updated.desiredState).toBe("running");
    expect(updated.owner.email).toBe("ada@example.test");

    const failure = await prisma.loginFailure.create({
      data: { email: user.email, ip: "127.0.0.1" },
    });
    expect(typeof failure.id).toBe("bigint");

    await expect(
      prisma.user.create({ data: { email: "ada@example.test", passwordHash: "y" } }),
    ).rejects.toSatisfy(
      (error) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002",
    );

    await prisma.server.delete({ where: { id: server.id } });
    expect(await prisma.server.count()).toBe(0);
    const audit = await prisma.auditLog.create({
      data: { actorId: user.id, action: "user.delete", targetType: "user", targetId: user.id },
    });
    await prisma.user.delete({ where: { id: user.id } });
    // onDelete: SetNull keeps the audit trail.
    expect(
      (await prisma.auditLog.findUniqueOrThrow({ where: { id: audit.id } })).actorId,
    ).toBeNull();
  });
});
