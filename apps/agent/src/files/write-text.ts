// files: write — replaces a text file whole: a temporary file in the same folder, fsync, rename.
// A reader sees the old content or the new, never a mix, and a failed write leaves the old file.
import { constants } from "node:fs";
import { lstat, open, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { TEXT_FILE_MAX_BYTES, type FileEntry } from "@berth/protocol";
import { describeEntry } from "./file-entry";
import { explained, shown } from "./file-failures";
import { giveTo } from "./file-owner";
import type { FileRoot } from "./file-root";
import { formatBytes } from "./read-text";
import { FileError, displayPath, resolveInside } from "./server-paths";
import { tempBeside } from "./temp-names";

export interface WriteTextRequest {
  path: string;
  content: string;
  /** Refuse when the file's mtime is not this any more (someone changed it since it was read). */
  expectedMtimeMs?: number | undefined;
}

/** Test seam: runs once the temporary file is complete, before it replaces the file. */
export interface WriteTextHooks {
  beforeReplace?: (tempPath: string) => Promise<void> | void;
}

export async function writeText(
  where: FileRoot,
  request: WriteTextRequest,
  hooks: WriteTextHooks = {},
): Promise<FileEntry> {
  const bytes = Buffer.from(request.content, "utf8");
  if (bytes.length > TEXT_FILE_MAX_BYTES) {
    throw new FileError(
      "BAD_REQUEST",
      `The text is too large to save (${formatBytes(bytes.length)}; at most ${formatBytes(TEXT_FILE_MAX_BYTES)}). Upload it instead`,
    );
  }
  const file = await resolveInside(where.root, request.path);
  if (file.relative === "") throw new FileError("BAD_REQUEST", "Name a file to write");
  const asked = displayPath(request.path);
  const what = shown(asked);
  const parent = await lstat(path.dirname(file.absolute)).catch(() => null);
  if (!parent?.isDirectory()) {
    throw new FileError("NOT_FOUND", `The folder of ${what} does not exist`);
  }
  const existing = await lstat(file.absolute).catch(() => null);
  if (existing && !existing.isFile()) {
    throw new FileError("BAD_REQUEST", `${what} is not a regular file`);
  }
  if (request.expectedMtimeMs !== undefined) {
    if (!existing) {
      throw new FileError("CONFLICT", `${what} was deleted since you opened it`);
    }
    if (existing.mtimeMs !== request.expectedMtimeMs) {
      throw new FileError(
        "CONFLICT",
        `${what} changed since you opened it. Reload it, or save under another name`,
      );
    }
  }

  const temp = tempBeside(file.absolute);
  const mode = existing ? existing.mode & 0o7777 : 0o644;
  try {
    await explained(asked, "write", async () => {
      const handle = await open(
        temp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        mode,
      );
      try {
        await handle.writeFile(bytes);
        await handle.chmod(mode);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (existing && process.getuid?.() === 0) {
        // A file that exists keeps its owner; a new one goes to the server's user.
        await giveTo({ uid: existing.uid, gid: existing.gid }, temp);
      } else {
        await giveTo(where.owner, temp);
      }
      await hooks.beforeReplace?.(temp);
      await rename(temp, file.absolute);
    });
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(path.dirname(file.absolute));
  return explained(asked, "describe", () =>
    describeEntry(file.absolute, path.posix.basename(asked)),
  );
}

/** Makes a rename in `folder` durable; a file system that cannot sync folders is no error. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY).catch(() => null);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
