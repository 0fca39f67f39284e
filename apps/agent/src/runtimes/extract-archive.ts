import { createReadStream, type Stats } from "node:fs";
import { Unpack, type ReadEntry } from "tar";
import { ArchivePolicy, DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from "./archive-policy";
import { RuntimeError } from "./runtime-errors";

/**
 * Extracts a .tar.gz (or plain .tar) into `dest`, which should be a fresh folder the caller
 * throws away on failure. Every entry passes `ArchivePolicy` first; the first refused entry
 * aborts the whole extraction. tar's own checks run too, in strict mode, so any entry it would
 * otherwise skip with a warning is an error here.
 */
export async function extractArchive(options: {
  file: string;
  dest: string;
  limits?: ArchiveLimits;
}): Promise<void> {
  const policy = new ArchivePolicy(options.limits ?? DEFAULT_ARCHIVE_LIMITS);
  let refusal: RuntimeError | undefined;

  const unpack: Unpack = new Unpack({
    cwd: options.dest,
    strict: true,
    // Files belong to the agent's user whatever the archive says; no setuid/setgid bits.
    preserveOwner: false,
    filter: (_path: string, entry: ReadEntry | Stats) => {
      if (refusal) return false;
      const header = entry as ReadEntry;
      try {
        policy.check({
          path: header.path,
          type: header.type,
          linkpath: header.linkpath,
          size: header.size,
        });
      } catch (error) {
        refusal =
          error instanceof RuntimeError ? error : new RuntimeError("unsafe_archive", String(error));
        unpack.abort(refusal);
        return false;
      }
      if (typeof header.mode === "number") header.mode &= 0o777;
      return true;
    },
  });

  try {
    await new Promise<void>((resolve, reject) => {
      const source = createReadStream(options.file);
      const fail = (error: unknown) => {
        source.destroy();
        reject(error);
      };
      source.on("error", fail);
      unpack.on("error", fail);
      unpack.on("close", () => resolve());
      source.pipe(unpack);
    });
    policy.finish();
  } catch (error) {
    if (refusal) throw refusal;
    if (error instanceof RuntimeError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new RuntimeError("unsafe_archive", `cannot extract the archive: ${message}`, {
      cause: error,
    });
  }
}
