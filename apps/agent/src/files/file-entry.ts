// One entry as the portal shows it: name, size, modification time, type and permission bits.
import type { Stats } from "node:fs";
import { lstat } from "node:fs/promises";
import type { FileEntry, FileType } from "@berth/protocol";

export function typeOf(info: Stats): FileType {
  if (info.isSymbolicLink()) return "symlink";
  if (info.isDirectory()) return "dir";
  if (info.isFile()) return "file";
  return "other";
}

export function toFileEntry(name: string, info: Stats): FileEntry {
  const type = typeOf(info);
  return {
    name,
    size: type === "dir" ? 0 : info.size,
    mtimeMs: info.mtimeMs,
    type,
    mode: info.mode & 0o7777,
  };
}

/** The entry at `absolute` itself (a symlink is described, not followed). */
export async function describeEntry(absolute: string, name: string): Promise<FileEntry> {
  return toFileEntry(name, await lstat(absolute));
}
