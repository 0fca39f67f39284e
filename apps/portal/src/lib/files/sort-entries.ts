import type { FileEntry } from "@berth/protocol";

export type SortKey = "name" | "size" | "mtime";
export type SortDir = "asc" | "desc";
export interface FileSort {
  key: SortKey;
  dir: SortDir;
}

export const DEFAULT_SORT: FileSort = { key: "name", dir: "asc" };

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/**
 * Folders first (in either direction, as every file manager does), then by the chosen column; ties
 * fall back to the name so the order never jumps between refreshes.
 */
export function sortEntries(entries: readonly FileEntry[], sort: FileSort): FileEntry[] {
  const sign = sort.dir === "asc" ? 1 : -1;
  return [...entries].sort((a, b) => {
    const folderA = a.type === "dir" ? 0 : 1;
    const folderB = b.type === "dir" ? 0 : 1;
    if (folderA !== folderB) return folderA - folderB;
    let diff = 0;
    if (sort.key === "size") diff = a.size - b.size;
    else if (sort.key === "mtime") diff = a.mtimeMs - b.mtimeMs;
    if (diff !== 0) return diff * sign;
    return collator.compare(a.name, b.name) * (sort.key === "name" ? sign : 1);
  });
}

/** A click on a column header: the same column flips, another starts ascending (newest first for dates). */
export function nextSort(current: FileSort, key: SortKey): FileSort {
  if (current.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  return { key, dir: key === "mtime" ? "desc" : "asc" };
}
