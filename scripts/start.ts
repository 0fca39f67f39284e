// `npm start`: prepares what a fresh checkout lacks, then runs the platform
// (scripts/start/platform.ts) in its own process group. A terminal's Ctrl-C reaches every process
// in the foreground group at once — Postgres included — so only this launcher receives it and asks
// the platform to stop in order.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

/** The Prisma client is generated code (gitignored); make it when missing or older than the schema. */
function ensurePrismaClient(): void {
  const schema = resolve(root, "prisma/schema.prisma");
  const client = resolve(root, "packages/db/src/generated/prisma/client.ts");
  if (existsSync(client) && statSync(client).mtimeMs >= statSync(schema).mtimeMs) return;
  console.log("[berth] generating the database client…");
  const generated = spawnSync(
    process.execPath,
    ["--import", "tsx", resolve(root, "packages/db/src/cli/prisma.ts"), "generate"],
    { stdio: "inherit" },
  );
  if (generated.status !== 0) process.exit(generated.status ?? 1);
}

ensurePrismaClient();

const platform = spawn(
  process.execPath,
  ["--import", "tsx", resolve(import.meta.dirname, "start/platform.ts")],
  // The IPC channel closes when this launcher dies, however it dies; the platform then stops too.
  { stdio: ["inherit", "inherit", "inherit", "ipc"], detached: true },
);

let signalled = false;
const forward = () => {
  if (signalled) return;
  signalled = true;
  platform.kill("SIGTERM");
};
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
platform.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
