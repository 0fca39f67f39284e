// Moves a freshly unpacked folder's contents into a destination folder. Folders merge, files
// replace files (a symlink in the destination is replaced as a link, never followed), and a file
// meeting a folder is a conflict. Every conflict is found before anything moves.
import { lstat, readdir, rename } from "node:fs/promises";
import path from "node:path";

export interface MergeConflict {
  /** Relative to the destination, `/`-separated. */
  name: string;
}

/** Conflicts merging `source` into `dest` would meet; nothing is changed. */
export async function mergeConflicts(source: string, dest: string): Promise<MergeConflict[]> {
  const conflicts: MergeConflict[] = [];
  const stack: string[] = [""];
  while (stack.length > 0) {
    const relative = stack.pop()!;
    for (const name of await readdir(path.join(source, relative))) {
      const child = relative === "" ? name : `${relative}/${name}`;
      const from = await lstat(path.join(source, child));
      const to = await lstat(path.join(dest, child)).catch(() => null);
      if (!to) continue;
      if (from.isDirectory() && to.isDirectory()) stack.push(child);
      else if (from.isDirectory() || to.isDirectory()) conflicts.push({ name: child });
    }
  }
  return conflicts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Moves everything from `source` into `dest`; check `mergeConflicts` first. */
export async function mergeFolder(source: string, dest: string): Promise<void> {
  for (const name of await readdir(source)) {
    const from = path.join(source, name);
    const to = path.join(dest, name);
    const existing = await lstat(to).catch(() => null);
    if (existing?.isDirectory() && (await lstat(from)).isDirectory()) {
      await mergeFolder(from, to);
    } else {
      await rename(from, to);
    }
  }
}
