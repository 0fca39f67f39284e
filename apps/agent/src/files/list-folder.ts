// files: list — a folder's entries, folders first, then by name.
import { lstat, readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { FileEntry, FileListing } from "@berth/protocol";
import { toFileEntry } from "./file-entry";
import { explained, shown } from "./file-failures";
import type { FileRoot } from "./file-root";
import { FileError, displayPath, resolveInside } from "./server-paths";
import { isTempName } from "./temp-names";

/** lstat calls in flight at once for one listing. */
const PARALLEL = 64;

export async function listFolder(where: FileRoot, userPath: string): Promise<FileListing> {
  const folder = await resolveInside(where.root, userPath);
  // Shown as asked: a folder reached through a link inside keeps the name it was asked by.
  const asked = displayPath(userPath);
  const info = await explained(asked, "list", () => stat(folder.absolute));
  if (!info.isDirectory()) {
    throw new FileError("BAD_REQUEST", `${shown(asked)} is not a folder`);
  }
  const names = (await explained(asked, "list", () => readdir(folder.absolute))).filter(
    (name) => !isTempName(name),
  );
  const entries: FileEntry[] = [];
  for (let i = 0; i < names.length; i += PARALLEL) {
    const batch = await Promise.all(
      names.slice(i, i + PARALLEL).map(async (name) => {
        // An entry removed since readdir is simply not listed.
        const entry = await lstat(path.join(folder.absolute, name)).catch(() => null);
        return entry ? toFileEntry(name, entry) : null;
      }),
    );
    for (const entry of batch) if (entry) entries.push(entry);
  }
  entries.sort(
    (a, b) =>
      Number(b.type === "dir") - Number(a.type === "dir") ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return { path: asked, entries };
}
