import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { startEmbeddedPostgres } from "@berth/db/embedded";

// `npm start` as a person uses it: started from a terminal, stopped with Ctrl-C, started again.
const root = resolve(import.meta.dirname, "../../..");
const port = 3101;

interface Started {
  output: () => string;
  ctrlC: () => Promise<number | null>;
}

async function npmStart(env: Record<string, string>): Promise<Started> {
  // Its own process group, like a terminal's foreground job, so Ctrl-C can go to the whole group.
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "scripts/start.ts")], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      BERTH_PUBLIC_URL: `http://localhost:${port}`,
      BERTH_SKIP_BUILD: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  await expect.poll(() => output, { timeout: 90_000 }).toContain("Berth is running at");
  await expect.poll(() => output, { timeout: 30_000 }).toContain('"msg":"hello acknowledged"');
  return {
    output: () => output,
    ctrlC: async () => {
      process.kill(-child.pid!, "SIGINT");
      return exited;
    },
  };
}

const processesMentioning = (text: string) =>
  execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(text));

test("Ctrl-C stops everything cleanly and a second start keeps the data", async ({ page }) => {
  const home = mkdtempSync(join(tmpdir(), "berth-home-"));
  const first = await npmStart({ BERTH_HOME: home, BERTH_ADMIN_EMAIL: "owner@start.test" });
  const admin = /first admin: (\S+)\s+password: (\S+)/.exec(first.output());
  expect(admin?.[1]).toBe("owner@start.test");
  const password = admin![2]!;
  const agentConfig = join(home, "agent", "agent.json");
  expect(statSync(agentConfig).mode & 0o777).toBe(0o600);
  const enrolledAs = JSON.parse(readFileSync(agentConfig, "utf8")).nodeId;

  expect(await first.ctrlC()).toBe(0);
  expect(first.output()).toContain("[berth] stopped");
  expect(processesMentioning(home)).toEqual([]);

  const second = await npmStart({ BERTH_HOME: home, BERTH_ADMIN_EMAIL: "owner@start.test" });
  expect(second.output()).not.toContain("first admin:");
  expect(second.output()).not.toContain("Enrolled as node");
  expect(JSON.parse(readFileSync(agentConfig, "utf8")).nodeId).toBe(enrolledAs);

  // The password printed by the first start still works: the accounts survived.
  await page.goto(`http://localhost:${port}/login`);
  await page.getByLabel(/email/i).fill("owner@start.test");
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole("button", { name: /sign in|log in/i }).click();
  await expect(page).toHaveURL(/\/servers/);

  expect(await second.ctrlC()).toBe(0);
  expect(processesMentioning(home)).toEqual([]);
});

test("with DATABASE_URL it uses that Postgres and starts none of its own", async () => {
  const external = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), "berth-ext-pg-")),
  });
  try {
    const home = mkdtempSync(join(tmpdir(), "berth-home-"));
    const started = await npmStart({ BERTH_HOME: home, DATABASE_URL: external.url });
    expect(started.output()).not.toContain("embedded Postgres");
    expect(existsSync(join(home, "postgres"))).toBe(false);

    const client = new pg.Client({ connectionString: external.url });
    await client.connect();
    const admins = await client.query(`SELECT count(*)::int AS n FROM "User" WHERE role = 'admin'`);
    const nodes = await client.query(`SELECT status FROM "Node" WHERE name = 'local'`);
    await client.end();
    expect(admins.rows[0].n).toBe(1);
    expect(nodes.rows[0]?.status).toBe("online");
    expect(await started.ctrlC()).toBe(0);
  } finally {
    await external.stop();
  }
});
