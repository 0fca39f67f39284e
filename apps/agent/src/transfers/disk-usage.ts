// How many bytes a server's folder holds, for its disk quota. A walk with lstat (symlinks count as
// themselves and are never followed), cached briefly per folder so that the checks an upload makes
// while it streams do not walk the folder for every chunk; callers asking at once share one walk.
import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";

/** lstat calls in flight at once during a walk. */
const PARALLEL_STATS = 64;

export class DiskUsage {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, { at: number; bytes: Promise<number> }>();

  constructor({ ttlMs = 5_000, now = Date.now }: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** Bytes under `root` (apparent sizes); 0 when it does not exist. At most `ttlMs` old. */
  of(root: string): Promise<number> {
    const cached = this.#cache.get(root);
    if (cached && this.#now() - cached.at < this.#ttlMs) return cached.bytes;
    const bytes = folderBytes(root);
    const entry = { at: this.#now(), bytes };
    this.#cache.set(root, entry);
    bytes.catch(() => {
      if (this.#cache.get(root) === entry) this.#cache.delete(root);
    });
    return bytes;
  }

  /** The next `of(root)` walks again (after something was added or removed). */
  forget(root: string): void {
    this.#cache.delete(root);
  }
}

export async function folderBytes(root: string): Promise<number> {
  let total = 0;
  const folders = [root];
  while (folders.length > 0) {
    const folder = folders.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      // Gone meanwhile (or never there): it holds nothing.
      if (isMissing(error)) continue;
      throw error;
    }
    for (let i = 0; i < entries.length; i += PARALLEL_STATS) {
      const sizes = await Promise.all(
        entries.slice(i, i + PARALLEL_STATS).map(async (entry) => {
          const full = path.join(folder, entry.name);
          if (entry.isDirectory()) {
            folders.push(full);
            return 0;
          }
          const info = await lstat(full).catch((error: unknown) => {
            if (isMissing(error)) return null;
            throw error;
          });
          return info?.size ?? 0;
        }),
      );
      for (const size of sizes) total += size;
    }
  }
  return total;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
