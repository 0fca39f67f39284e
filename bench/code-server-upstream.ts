// A real code-server on the host, from the cached code-server artifact (`npm run
// artifact:code-server`), for benchmarks that want the real upstream. Unpacked once per version
// into the cache folder; started with a private user-data folder and stopped by the caller.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rename, rm, stat } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { x as extract } from "tar";
import { CODE_SERVER_VERSION, NODE_VERSION } from "../scripts/artifacts/code-server";

export interface CodeServerUpstream {
  port: number;
  /** A static asset the workbench loads: the largest one, `workbench.js`. */
  assetPath: string;
  close(): Promise<void>;
}

const cacheDir = process.env.BERTH_CACHE_DIR ?? join(homedir(), ".cache", "berth");
const name = `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`;

/** Null when the artifact was never built on this machine (building takes minutes). */
export async function startCodeServerUpstream(): Promise<CodeServerUpstream | null> {
  const tarball = join(cacheDir, "artifacts", `${name}.tar.gz`);
  if (!(await exists(tarball))) return null;
  const root = await unpacked(tarball);
  const port = await freePort();
  const userData = await mkdtemp(join(tmpdir(), "berth-bench-code-server-"));
  const child = spawn(
    join(root, "bin", "code-server"),
    [
      "--auth=none",
      `--bind-addr=127.0.0.1:${port}`,
      `--user-data-dir=${join(userData, "data")}`,
      `--extensions-dir=${join(userData, "extensions")}`,
      "--disable-telemetry",
      userData,
    ],
    { stdio: "ignore" },
  );
  const close = async () => {
    await stopChild(child);
    await rm(userData, { recursive: true, force: true });
  };
  try {
    const page = await waitForPage(`http://127.0.0.1:${port}/?folder=${userData}`);
    const asset = /stable-[0-9a-f]+\/static\/out\/vs\/code\/browser\/workbench\/workbench\.js/.exec(
      page,
    );
    if (!asset) throw new Error("the workbench page names no workbench.js");
    return { port, assetPath: `/${asset[0]}`, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function unpacked(tarball: string): Promise<string> {
  const root = join(cacheDir, "bench", name);
  if (await exists(join(root, "bin", "code-server"))) return root;
  await mkdir(join(cacheDir, "bench"), { recursive: true });
  const staging = await mkdtemp(join(cacheDir, "bench", `.${name}-`));
  try {
    await extract({ file: tarball, cwd: staging });
    await rename(staging, root);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return root;
}

async function waitForPage(url: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.text();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${url} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
  });
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );
