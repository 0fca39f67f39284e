// The node's runtime store: `<root>/<name>/<version>` holds one extracted artifact, shared
// read-only by every dev server on the node. Nothing appears there half-made: an install
// downloads into `<root>/.staging/`, checks the hash, extracts into a staging folder, writes the
// manifest, and only then renames the folder into place. A removal renames the folder into
// `<root>/.trash/` before deleting it. Whatever a crash leaves in either is deleted by `open()`.
//
// A name/version is pinned to one sha256: installing it again with the same hash returns at once,
// with another hash is refused (`conflict`) until it is removed. Replacing it in place would
// change the bytes under dev servers already using it.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import pino, { type Logger } from "pino";
import type { ArchiveLimits } from "./archive-policy";
import { downloadArtifact } from "./download-artifact";
import { extractArchive } from "./extract-archive";
import { InstallGuard, type ProgressListener } from "./install-guard";
import { parseRuntimeArtifact, parseRuntimeKey } from "./runtime-artifact";
import { RuntimeError } from "./runtime-errors";

export const MANIFEST_FILE = ".berth-runtime.json";
const STAGING = ".staging";
const TRASH = ".trash";

export interface RuntimeStoreOptions {
  root: string;
  /** Cap on a download whose size is not declared. */
  maxDownloadBytes?: number;
  archiveLimits?: ArchiveLimits;
  fetch?: typeof fetch;
  now?: () => Date;
  log?: Logger;
}

export interface InstallRequest {
  name: string;
  version: string;
  url: string;
  sha256: string;
  size?: number;
  onProgress?: ProgressListener;
}

export interface InstalledRuntime {
  name: string;
  version: string;
  sha256: string;
  url: string;
  installedAt: string;
  path: string;
}

interface Manifest {
  sha256: string;
  url: string;
  installedAt: string;
}

export class RuntimeStore {
  private readonly guard = new InstallGuard<InstalledRuntime>();
  private readonly log: Logger;

  private constructor(
    readonly root: string,
    private readonly options: RuntimeStoreOptions,
  ) {
    this.log = options.log ?? pino({ enabled: false });
  }

  /** Creates the store folder if needed and deletes what an interrupted install or removal left. */
  static async open(options: RuntimeStoreOptions): Promise<RuntimeStore> {
    const root = path.resolve(options.root);
    await mkdir(root, { recursive: true });
    await rm(path.join(root, STAGING), { recursive: true, force: true });
    await rm(path.join(root, TRASH), { recursive: true, force: true });
    return new RuntimeStore(root, options);
  }

  /** Where `name`/`version` lives (or would live) in the store. */
  pathOf(name: string, version: string): string {
    const key = parseRuntimeKey(name, version);
    return path.join(this.root, key.name, key.version);
  }

  /** The installed runtime, or undefined. */
  async get(name: string, version: string): Promise<InstalledRuntime | undefined> {
    const folder = this.pathOf(name, version);
    let text: string;
    try {
      text = await readFile(path.join(folder, MANIFEST_FILE), "utf8");
    } catch (error) {
      if (isCode(error, "ENOENT")) return undefined;
      throw error;
    }
    const manifest = JSON.parse(text) as Manifest;
    return { name, version, ...manifest, path: folder };
  }

  async list(): Promise<InstalledRuntime[]> {
    const result: InstalledRuntime[] = [];
    for (const name of (await readdir(this.root)).sort()) {
      if (name.startsWith(".")) continue;
      for (const version of (await readdirIfFolder(path.join(this.root, name))).sort()) {
        const runtime = await this.get(name, version).catch(() => undefined);
        if (runtime) result.push(runtime);
      }
    }
    return result;
  }

  /**
   * Installs an artifact unless that exact artifact is already installed. Concurrent calls for the
   * same name, version and sha256 share one download; `onProgress` reports its bytes.
   */
  async install(request: InstallRequest): Promise<InstalledRuntime> {
    const artifact = parseRuntimeArtifact({
      name: request.name,
      version: request.version,
      url: request.url,
      sha256: request.sha256,
      size: request.size,
    });
    const key = `${artifact.name}/${artifact.version}@${artifact.sha256}`;
    return this.guard.run(
      key,
      async (progress) => {
        const existing = await this.get(artifact.name, artifact.version);
        if (existing) return this.alreadyInstalled(existing, artifact.sha256);
        return this.installFresh({ ...artifact, onProgress: progress });
      },
      request.onProgress,
    );
  }

  /** Removes an installed version; false when it was not installed. */
  async remove(name: string, version: string): Promise<boolean> {
    const folder = this.pathOf(name, version);
    const trash = path.join(this.root, TRASH);
    await mkdir(trash, { recursive: true });
    const doomed = path.join(trash, `${name}-${version}-${randomBytes(6).toString("hex")}`);
    try {
      await rename(folder, doomed);
    } catch (error) {
      if (isCode(error, "ENOENT")) return false;
      throw error;
    }
    await rm(doomed, { recursive: true, force: true, maxRetries: 3 });
    await rmdir(path.dirname(folder)).catch(() => {}); // only when the name has no versions left
    this.log.info({ name, version }, "runtime removed");
    return true;
  }

  private alreadyInstalled(existing: InstalledRuntime, sha256: string): InstalledRuntime {
    if (existing.sha256 === sha256) return existing;
    throw new RuntimeError(
      "conflict",
      `${existing.name} ${existing.version} is already installed with sha256 ${existing.sha256}; ` +
        `remove it before installing sha256 ${sha256}`,
    );
  }

  private async installFresh(request: InstallRequest & { sha256: string }) {
    const { name, version } = request;
    const log = this.log.child({ runtime: `${name}/${version}` });
    const staging = path.join(this.root, STAGING);
    await mkdir(staging, { recursive: true });
    const id = randomBytes(8).toString("hex");
    const download = path.join(staging, `${id}.download`);
    const folder = path.join(staging, id);
    const started = Date.now();

    try {
      log.info({ url: request.url }, "runtime download");
      const { bytes } = await downloadArtifact({
        url: request.url,
        file: download,
        sha256: request.sha256,
        size: request.size,
        maxBytes: this.options.maxDownloadBytes ?? 4 * 1024 ** 3,
        onProgress: request.onProgress,
        fetch: this.options.fetch,
      });
      await mkdir(folder, { mode: 0o755 });
      await extractArchive({ file: download, dest: folder, limits: this.options.archiveLimits });
      const manifest: Manifest = {
        sha256: request.sha256,
        url: request.url,
        installedAt: (this.options.now?.() ?? new Date()).toISOString(),
      };
      // The archive may hold a file (or link) of that name: ours replaces it.
      await rm(path.join(folder, MANIFEST_FILE), { force: true, recursive: true });
      await writeFile(path.join(folder, MANIFEST_FILE), `${JSON.stringify(manifest)}\n`, {
        flag: "wx",
        mode: 0o644,
      });

      const target = this.pathOf(name, version);
      await mkdir(path.dirname(target), { recursive: true });
      try {
        await rename(folder, target);
      } catch (error) {
        if (isCode(error, "ENOTEMPTY") || isCode(error, "EEXIST")) {
          const existing = await this.get(name, version);
          if (existing) return this.alreadyInstalled(existing, request.sha256);
        }
        throw error;
      }
      log.info({ bytes, ms: Date.now() - started }, "runtime installed");
      return { name, version, ...manifest, path: target };
    } catch (error) {
      log.warn({ err: error }, "runtime install failed");
      throw error;
    } finally {
      await rm(download, { force: true });
      await rm(folder, { recursive: true, force: true, maxRetries: 3 });
      await rmdir(staging).catch(() => {}); // kept while another install uses it
    }
  }
}

async function readdirIfFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if (isCode(error, "ENOTDIR") || isCode(error, "ENOENT")) return [];
    throw error;
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
