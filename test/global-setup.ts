// Integration-test global setup: one Postgres for the whole run (embedded, or TEST_DATABASE_URL's
// server), with the committed migrations applied to a template database that test files clone
// (test/db.ts). A missing dependency throws here, which fails the run: nothing is ever skipped.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "@berth/db/embedded";
import { migrateDeploy } from "@berth/db/migrate";
import { TEMPLATE_DATABASE, TEST_DATABASE_PREFIX, withDatabase } from "./db";

export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stopServer = async () => {};

  if (process.env.TEST_DATABASE_URL) {
    adminUrl = withDatabase(process.env.TEST_DATABASE_URL, "postgres");
  } else {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "berth-test-pg-"));
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "pg"),
      // Throwaway cluster: durability buys nothing here.
      settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
    });
    adminUrl = server.urlFor("postgres");
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }

  try {
    await execute(adminUrl, `DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
    await migrateDeploy(withDatabase(adminUrl, TEMPLATE_DATABASE));
  } catch (error) {
    await stopServer();
    throw error;
  }

  project.provide("databaseAdminUrl", adminUrl);

  return async () => {
    if (process.env.TEST_DATABASE_URL) await dropTestDatabases(adminUrl);
    await stopServer();
  };
}

async function execute(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Leftovers of crashed test files on a shared server. */
async function dropTestDatabases(adminUrl: string): Promise<void> {
  const { rows } = await execute(
    adminUrl,
    `SELECT datname FROM pg_database WHERE datname LIKE '${TEST_DATABASE_PREFIX}%'`,
  );
  for (const { datname } of rows as { datname: string }[]) {
    await execute(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
  }
}
