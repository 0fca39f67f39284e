// Reads a few named files out of a jar (a zip) without extracting it: the central directory is
// walked, only the wanted entries are inflated, each bounded in size.
import type { Readable } from "node:stream";
import yauzl from "yauzl";

/** A metadata file larger than this (uncompressed) is not read. */
export const METADATA_MAX_BYTES = 1024 * 1024;
/** A jar with more entries than this is not searched further (its directory alone is huge). */
const MAX_ENTRIES = 200_000;

/** The jar could not be read (corrupt, encrypted, or a wanted file too large). */
export class JarError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JarError";
  }
}

export interface JarEntries {
  /** The text (UTF-8) of each wanted entry the jar has, keyed by its name. */
  texts: Map<string, string>;
  /** Wanted entries the jar has but that are larger than the limit (not read). */
  tooLarge: Set<string>;
}

/**
 * Reads the wanted entries, matched by exact name (`META-INF/mods.toml`); entries that are not
 * there are simply absent from the answer. Throws a JarError when the jar cannot be read.
 */
export async function readJarEntries(
  jarPath: string,
  wanted: readonly string[],
  maxBytes = METADATA_MAX_BYTES,
): Promise<JarEntries> {
  const texts = new Map<string, string>();
  const tooLarge = new Set<string>();
  const remaining = new Set(wanted);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(jarPath, { autoClose: false, strictFileNames: false });
  } catch (error) {
    throw new JarError(`Not a readable jar: ${messageOf(error)}`, { cause: error });
  }
  try {
    let seen = 0;
    for await (const entry of zip.eachEntry()) {
      if (++seen > MAX_ENTRIES) break;
      if (!remaining.has(entry.fileName)) continue;
      remaining.delete(entry.fileName);
      if (entry.uncompressedSize > maxBytes) {
        tooLarge.add(entry.fileName);
      } else {
        if (entry.isEncrypted()) throw new JarError(`${entry.fileName} is encrypted`);
        const stream = await zip.openReadStreamPromise(entry);
        const read = await readBounded(stream, maxBytes);
        if (read === null) tooLarge.add(entry.fileName);
        else texts.set(entry.fileName, read);
      }
      if (remaining.size === 0) break;
    }
  } catch (error) {
    if (error instanceof JarError) throw error;
    throw new JarError(`Not a readable jar: ${messageOf(error)}`, { cause: error });
  } finally {
    zip.close();
  }
  return { texts, tooLarge };
}

/** Reads the stream as UTF-8; null past `maxBytes` (the declared size is not trusted). */
async function readBounded(stream: Readable, maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      stream.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  // A byte order mark would otherwise be taken for part of the first key.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
