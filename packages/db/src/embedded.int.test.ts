import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";

let root: string;
let running: EmbeddedPostgres | undefined;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "berth-embedded-"));
});

afterAll(async () => {
  await running?.stop();
  await rm(root, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("starts, keeps data and credentials across restarts, stops without leftovers", async ({
  annotate,
}) => {
  const dataDir = path.join(root, "nested", "pg");

  running = await startEmbeddedPostgres({ dataDir });
  const first = running;
  expect(first.timings.initMs).not.toBeNull();
  expect(first.url).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/berth$/);
  await query(first.url, "CREATE TABLE kept (value text)");
  await query(first.url, "INSERT INTO kept VALUES ('survives a restart')");

  const passwordFile = path.join(dataDir, "berth-password");
  expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
  const password = await readFile(passwordFile, "utf8");

  const pid = Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
  expect(isAlive(pid)).toBe(true);
  await first.stop();
  running = undefined;
  expect(isAlive(pid)).toBe(false);
  expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);

  running = await startEmbeddedPostgres({ dataDir });
  const second = running;
  expect(second.timings.initMs).toBeNull();
  expect(await readFile(passwordFile, "utf8")).toBe(password);
  expect(await query<{ value: string }>(second.url, "SELECT value FROM kept")).toEqual([
    { value: "survives a restart" },
  ]);

  await annotate(
    `embedded postgres: initdb ${Math.round(first.timings.initMs ?? 0)} ms, ` +
      `first start ${Math.round(first.timings.startMs)} ms, ` +
      `restart ${Math.round(second.timings.startMs)} ms`,
  );
  await second.stop();
  running = undefined;
});

test("refuses a non-empty folder that is not a Postgres data folder", async () => {
  const dataDir = await mkdtemp(path.join(root, "not-pg-"));
  await writeFile(path.join(dataDir, "notes.txt"), "not a cluster");
  await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/no PG_VERSION/);
});
