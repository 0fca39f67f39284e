// files: mkdir — a folder, with any missing folders above it, each given to the server's user.
import { lstat, mkdir } from "node:fs/promises";
import path from "node:path";
import type { FileEntry } from "@berth/protocol";
import { describeEntry } from "./file-entry";
import { explained, shown } from "./file-failures";
import { giveTo } from "./file-owner";
import type { FileOwner, FileRoot } from "./file-root";
import { FileError, displayPath, resolveInside } from "./server-paths";

export async function makeFolder(where: FileRoot, userPath: string): Promise<FileEntry> {
  const folder = await resolveInside(where.root, userPath);
  if (folder.relative === "") throw new FileError("BAD_REQUEST", "Name the folder to make");
  const asked = displayPath(userPath);
  if (await lstat(folder.absolute).catch(() => null)) {
    throw new FileError("CONFLICT", `${shown(asked)} already exists`);
  }
  await explained(asked, "make", () => makeFolders(folder.absolute, where.owner));
  return describeEntry(folder.absolute, path.basename(folder.absolute));
}

/** `mkdir -p`, giving every folder it made (not those that existed) to `owner`. */
export async function makeFolders(absolute: string, owner: FileOwner | null): Promise<void> {
  const first = await mkdir(absolute, { recursive: true, mode: 0o755 });
  if (!first) return;
  let current = absolute;
  const made = [current];
  while (current !== first) {
    current = path.dirname(current);
    made.push(current);
  }
  for (const dir of made.reverse()) await giveTo(owner, dir);
}
