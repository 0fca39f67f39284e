// The source and destination of a move or copy: the source must exist, the destination must not,
// its folder must, and a folder cannot go inside itself.
import type { Stats } from "node:fs";
import { lstat } from "node:fs/promises";
import path from "node:path";
import { shown } from "./file-failures";
import { FileError, isInside, resolveEntry, type ResolvedPath } from "./server-paths";

export interface EntryPair {
  from: ResolvedPath;
  to: ResolvedPath;
  info: Stats;
}

export async function entryPair(root: string, from: string, to: string): Promise<EntryPair> {
  const source = await resolveEntry(root, from);
  const target = await resolveEntry(root, to);
  const info = await lstat(source.absolute).catch(() => null);
  if (!info) throw new FileError("NOT_FOUND", `${shown(source.relative)} does not exist`);
  if (await lstat(target.absolute).catch(() => null)) {
    throw new FileError("CONFLICT", `${shown(target.relative)} already exists`);
  }
  const parent = await lstat(path.dirname(target.absolute)).catch(() => null);
  if (!parent?.isDirectory()) {
    throw new FileError("NOT_FOUND", `The folder of ${shown(target.relative)} does not exist`);
  }
  if (info.isDirectory() && isInside(source.absolute, target.absolute)) {
    throw new FileError("BAD_REQUEST", `A folder cannot go inside itself`);
  }
  return { from: source, to: target, info };
}
