// What goes into an archive: the chosen entries, named relative to the folder they share, so
// "plugins/a.jar" and "plugins/b.jar" become "a.jar" and "b.jar".
import { lstat } from "node:fs/promises";
import path from "node:path";
import { shown } from "./file-failures";
import { FileError, realRoot, resolveEntry } from "./server-paths";

export interface ArchiveSelection {
  /** The folder the names are relative to (absolute). */
  base: string;
  /** The chosen entries, relative to `base`, without repeats. */
  names: string[];
}

export async function archiveSelection(root: string, paths: string[]): Promise<ArchiveSelection> {
  const entries = await Promise.all(paths.map((p) => resolveEntry(root, p)));
  for (const entry of entries) {
    if (!(await lstat(entry.absolute).catch(() => null))) {
      throw new FileError("NOT_FOUND", `${shown(entry.relative)} does not exist`);
    }
  }
  const parents = entries.map((entry) => entry.relative.split("/").slice(0, -1));
  const common: string[] = [];
  for (let i = 0; ; i++) {
    const part = parents[0]?.[i];
    if (part === undefined || !parents.every((parent) => parent[i] === part)) break;
    common.push(part);
  }
  const prefix = common.length;
  const names = [
    ...new Set(entries.map((entry) => entry.relative.split("/").slice(prefix).join("/"))),
  ];
  // One chosen entry inside another would be stored twice.
  for (const name of names) {
    const outer = names.find((other) => other !== name && name.startsWith(`${other}/`));
    if (outer) throw new FileError("BAD_REQUEST", `"${name}" is inside "${outer}", chosen already`);
  }
  return { base: path.join(await realRoot(root), ...common), names };
}
