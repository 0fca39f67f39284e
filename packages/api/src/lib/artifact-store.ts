import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Sha256Meter, type Sha256Digest } from "./sha256-meter";

/** The name of a stored artifact: its sha256, 64 lowercase hex characters. */
export const isArtifactHash = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);

/**
 * Runtime artifacts the portal keeps, content-addressed: each file is named by its sha256. An
 * upload streams into a temp file in the same folder, hashed on the way, and is renamed to its
 * hash once complete, so a name always stands for the whole, verified content.
 */
export class ArtifactStore {
  readonly dir: string;
  /** The largest artifact `save` accepts. */
  readonly maxBytes: number;

  constructor({ dir, maxBytes }: { dir: string; maxBytes: number }) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  /** Stores a stream; fails with TooLargeError past `maxBytes`, leaving no file behind. */
  async save(source: Readable): Promise<Sha256Digest> {
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.upload-${randomBytes(8).toString("hex")}`);
    const meter = new Sha256Meter(this.maxBytes);
    try {
      await pipeline(source, meter, createWriteStream(temp, { flush: true }));
      const digest = meter.digest();
      // The same content under the same name: replacing an existing copy changes nothing.
      await rename(temp, join(this.dir, digest.sha256));
      return digest;
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  /** The stored artifact with this hash, or null when there is none. */
  async open(sha256: string): Promise<{ sizeBytes: number; stream: ReadStream } | null> {
    if (!isArtifactHash(sha256)) return null;
    const path = join(this.dir, sha256);
    try {
      const info = await stat(path);
      if (!info.isFile()) return null;
      return { sizeBytes: info.size, stream: createReadStream(path) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }
}

/** Hashes and counts a stream to its end (or until it passes `maxBytes`). */
export async function measureStream(source: Readable, maxBytes: number): Promise<Sha256Digest> {
  const meter = new Sha256Meter(maxBytes);
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  await pipeline(source, meter, discard);
  return meter.digest();
}
