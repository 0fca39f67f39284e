// files: delete — files and folders (a symlink is removed as a link, never followed).
import { lstat, rm } from "node:fs/promises";
import { explained, shown } from "./file-failures";
import type { FileRoot } from "./file-root";
import { FileError, resolveEntry } from "./server-paths";

/** Deletes every path in order; returns how many were deleted. Stops at the first failure. */
export async function deleteEntries(where: FileRoot, paths: string[]): Promise<number> {
  // Every path is checked before anything is deleted.
  const entries = await Promise.all(paths.map((p) => resolveEntry(where.root, p)));
  let deleted = 0;
  for (const entry of entries) {
    if (!(await lstat(entry.absolute).catch(() => null))) {
      // Already gone (or named twice): nothing to do for it.
      continue;
    }
    try {
      await explained(entry.relative, "delete", () =>
        rm(entry.absolute, { recursive: true, force: false }),
      );
    } catch (error) {
      if (deleted === 0) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new FileError(
        error instanceof FileError ? error.code : "INTERNAL",
        `Deleted ${deleted} of ${entries.length}; then: ${message}`,
        { cause: error },
      );
    }
    deleted++;
  }
  if (deleted === 0 && entries.length === 1) {
    throw new FileError("NOT_FOUND", `${shown(entries[0]!.relative)} does not exist`);
  }
  return deleted;
}
