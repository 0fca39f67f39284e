// files: extract — a .tar.gz (or .tar) or .zip into a folder. The archive is unpacked into a fresh
// private folder first, every entry checked by the ArchivePolicy, then handed to the server's user
// and moved into place, so a refused archive leaves nothing in the server's folder.
import { lstat, mkdir, mkdtemp, open, rm } from "node:fs/promises";
import path from "node:path";
import { extractArchive } from "../runtimes/extract-archive";
import { RuntimeError } from "../runtimes/runtime-errors";
import { checkTarball } from "./check-tarball";
import { explain, explained, shown } from "./file-failures";
import { giveTreeTo } from "./file-owner";
import { makeFolders } from "./make-folder";
import type { FileRoot } from "./file-root";
import { mergeConflicts, mergeFolder } from "./merge-folder";
import { FileError, realRoot, resolveInside } from "./server-paths";
import { unzipArchive } from "./unzip-archive";

/** The longest reason quoted from a refused archive. */
const MAX_REASON = 200;

export type ArchiveKind = "zip" | "tar.gz" | "tar";

export async function extractEntries(
  where: FileRoot,
  request: { path: string; to: string },
): Promise<void> {
  const archive = await resolveInside(where.root, request.path);
  const info = await lstat(archive.absolute).catch(() => null);
  if (!info) throw new FileError("NOT_FOUND", `${shown(archive.relative)} does not exist`);
  if (!info.isFile())
    throw new FileError("BAD_REQUEST", `${shown(archive.relative)} is not a file`);
  const kind = await archiveKind(archive.absolute);
  if (!kind) {
    throw new FileError(
      "BAD_REQUEST",
      `${shown(archive.relative)} is not a .tar.gz or .zip archive`,
    );
  }

  const dest = await resolveInside(where.root, request.to);
  const existing = await lstat(dest.absolute).catch(() => null);
  if (existing && !existing.isDirectory()) {
    throw new FileError("BAD_REQUEST", `${shown(dest.relative)} is not a folder`);
  }

  const base = await realRoot(where.root);
  const scratch = where.scratch ?? base;
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const staging = await mkdtemp(path.join(scratch, ".berth-tmp-extract-"));
  try {
    try {
      if (kind === "zip") await unzipArchive({ file: archive.absolute, dest: staging });
      else {
        await checkTarball(archive.absolute);
        await extractArchive({ file: archive.absolute, dest: staging });
      }
    } catch (error) {
      throw refusal(error, archive.relative, [staging, base]);
    }
    await giveTreeTo(where.owner, staging);
    if (!existing) {
      await explained(dest.relative, "make", () => makeFolders(dest.absolute, where.owner));
    }
    const conflicts = await mergeConflicts(staging, dest.absolute);
    if (conflicts.length > 0) {
      const names = conflicts.slice(0, 3).map((c) => `"${c.name}"`);
      throw new FileError(
        "CONFLICT",
        `The archive has ${names.join(", ")}${conflicts.length > 3 ? ` and ${conflicts.length - 3} more` : ""} where ${shown(dest.relative)} has a folder and a file of the same name`,
      );
    }
    await explained(dest.relative, "extract into", () => mergeFolder(staging, dest.absolute));
  } catch (error) {
    throw explain(error, dest.relative, "extract into");
  } finally {
    await rm(staging, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined);
  }
}

/** What the file's first bytes say it is, or null. */
export async function archiveKind(file: string): Promise<ArchiveKind | null> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
      if ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6)) return "zip";
    }
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return "tar.gz";
    if (bytes.subarray(257, 262).toString("latin1") === "ustar") return "tar";
    return null;
  } finally {
    await handle.close();
  }
}

/** A refused or broken archive, told without the node's paths. */
function refusal(error: unknown, relative: string, hide: string[]): FileError {
  if (error instanceof FileError) return error;
  let message = error instanceof Error ? error.message : String(error);
  message = message.replace(/^unsafe archive: /, "");
  for (const prefix of hide) message = message.split(`${prefix}/`).join("").split(prefix).join("");
  // Hostile archives carry names of any length: the message stays short enough for a toast.
  if (message.length > MAX_REASON) message = `${message.slice(0, MAX_REASON)}…`;
  const code = error instanceof RuntimeError || error instanceof Error ? "BAD_REQUEST" : "INTERNAL";
  return new FileError(code, `${shown(relative)} cannot be extracted safely: ${message}`, {
    cause: error,
  });
}
