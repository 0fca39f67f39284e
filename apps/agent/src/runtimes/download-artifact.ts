import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream } from "node:stream/web";
import type { ProgressListener } from "./install-guard";
import { RuntimeError } from "./runtime-errors";

export interface DownloadOptions {
  url: string;
  /** Created exclusively; the caller removes it on failure. */
  file: string;
  sha256: string;
  /** The declared size: the download must be exactly this long. */
  size?: number;
  /** Cap when no size is declared. */
  maxBytes: number;
  onProgress?: ProgressListener;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * Streams `url` into `file`, hashing and counting on the way; a body longer than allowed is cut
 * off as soon as it passes the cap. Resolves only when size and sha256 are the expected ones.
 */
export async function downloadArtifact(options: DownloadOptions): Promise<{ bytes: number }> {
  const doFetch = options.fetch ?? fetch;
  const cap = options.size ?? options.maxBytes;

  let response: Response;
  try {
    response = await doFetch(options.url, { redirect: "follow", signal: options.signal });
  } catch (cause) {
    throw new RuntimeError("download_failed", `download failed: ${describe(cause)}`, { cause });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw new RuntimeError(
      "download_failed",
      `download failed: HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
  const announced = Number(response.headers.get("content-length") ?? NaN);
  const total = options.size ?? (Number.isFinite(announced) ? announced : undefined);
  if (Number.isFinite(announced) && announced > cap) {
    await response.body.cancel().catch(() => {});
    throw tooLarge(options.size, cap, announced);
  }

  const hash = createHash("sha256");
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > cap) {
        callback(tooLarge(options.size, cap, bytes));
        return;
      }
      hash.update(chunk);
      options.onProgress?.(bytes, total);
      callback(null, chunk);
    },
  });

  try {
    await pipeline(
      Readable.fromWeb(response.body as ReadableStream<Uint8Array>),
      meter,
      createWriteStream(options.file, { flags: "wx", mode: 0o600 }),
    );
  } catch (cause) {
    if (cause instanceof RuntimeError) throw cause;
    throw new RuntimeError("download_failed", `download failed: ${describe(cause)}`, { cause });
  }

  if (options.size !== undefined && bytes !== options.size) {
    throw new RuntimeError(
      "size_mismatch",
      `size mismatch: expected ${options.size} bytes, got ${bytes}`,
    );
  }
  const actual = hash.digest("hex");
  if (actual !== options.sha256) {
    throw new RuntimeError(
      "hash_mismatch",
      `sha256 mismatch: expected ${options.sha256}, got ${actual}`,
    );
  }
  return { bytes };
}

function tooLarge(declared: number | undefined, cap: number, seen: number): RuntimeError {
  return declared !== undefined
    ? new RuntimeError(
        "size_mismatch",
        `size mismatch: expected ${declared} bytes, got more (${seen})`,
      )
    : new RuntimeError("too_large", `artifact too large: more than ${cap} bytes`);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}
