// files: rename — moves or renames one entry (a symlink moves as a link; nothing is followed).
import { rename } from "node:fs/promises";
import path from "node:path";
import type { FileEntry } from "@berth/protocol";
import { entryPair } from "./entry-pair";
import { describeEntry } from "./file-entry";
import { explained } from "./file-failures";
import type { FileRoot } from "./file-root";

export async function moveEntry(where: FileRoot, from: string, to: string): Promise<FileEntry> {
  const pair = await entryPair(where.root, from, to);
  await explained(pair.from.relative, "move", () => rename(pair.from.absolute, pair.to.absolute));
  return describeEntry(pair.to.absolute, path.basename(pair.to.absolute));
}
